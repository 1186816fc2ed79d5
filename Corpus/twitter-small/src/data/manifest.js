window.__THAR_CONFIG = {
  "userInfo" : {
    "accountId" : "1012345678901234567",
    "userName" : "ada_punk",
    "displayName" : "Ada Punk"
  },
  "archiveInfo" : {
    "sizeBytes" : "48213",
    "generationDate" : "2024-01-15T10:22:31.000Z",
    "isPartialArchive" : false,
    "maxPartSizeBytes" : "53687091200"
  },
  "readmeInfo" : {
    "fileName" : "data/README.txt",
    "directory" : "data/",
    "name" : "README.txt"
  },
  "dataTypes" : {
    "account" : {
      "files" : [
        {
          "fileName" : "data/account.js",
          "globalName" : "YTD.account.part0",
          "count" : "1"
        }
      ]
    },
    "tweets" : {
      "mediaDirectory" : "data/tweets_media",
      "files" : [
        {
          "fileName" : "data/tweets.js",
          "globalName" : "YTD.tweets.part0",
          "count" : "5"
        },
        {
          "fileName" : "data/tweets-part1.js",
          "globalName" : "YTD.tweets.part1",
          "count" : "2"
        }
      ]
    },
    "like" : {
      "files" : [
        {
          "fileName" : "data/like.js",
          "globalName" : "YTD.like.part0",
          "count" : "2"
        }
      ]
    }
  }
}
