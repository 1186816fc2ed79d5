window.YTD.tweets.part1 = [ {
    "tweet" : {
      "id" : "1800000000000000005",
      "created_at" : "Tue Oct 29 12:00:00 +0100 2024",
      "full_text" : "Bonjour, le lac de données est prêt. #datapunk",
      "lang" : "fr",
      "favorite_count" : "2",
      "retweet_count" : "0",
      "entities" : {
        "hashtags" : [
          {
            "text" : "datapunk",
            "indices" : [
              "37",
              "46"
            ]
          }
        ],
        "symbols" : [],
        "user_mentions" : [],
        "urls" : []
      },
      "display_text_range" : [
        "0",
        "46"
      ],
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "favorited" : false,
      "retweeted" : false,
      "truncated" : false
    }
  }, {
    "tweet" : {
      "id" : "1810000000000000006",
      "created_at" : "Wed Nov 27 18:45:12 -0800 2024",
      "full_text" : "Guten Abend! Größe: 1,5 MB. Straße frei.",
      "lang" : "de",
      "favorite_count" : "0",
      "retweet_count" : "0",
      "entities" : {
        "hashtags" : [],
        "symbols" : [],
        "user_mentions" : [],
        "urls" : []
      },
      "display_text_range" : [
        "0",
        "40"
      ],
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "favorited" : false,
      "retweeted" : false,
      "truncated" : false
    }
} ]