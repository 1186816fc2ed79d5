window.YTD.like.part0 = [
  {
    "like" : {
      "tweetId" : "1234567890123456789",
      "fullText" : "A liked tweet",
      "expandedUrl" : "https://twitter.com/i/web/status/1234567890123456789"
    }
  },
  {
    "like" : {
      "tweetId" : "1234567890123456790",
      "fullText" : "Another one",
      "expandedUrl" : "https://twitter.com/i/web/status/1234567890123456790"
    }
  }
]