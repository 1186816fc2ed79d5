window.YTD.tweets.part0 = [ {
    "tweet" : {
      "id" : "1050118621198921728",
      "created_at" : "Wed Oct 10 20:19:24 +0000 2018",
      "full_text" : "Building a data lake for my own exports. #datapunk @sqlite &amp; friends https://t.co/abc123",
      "lang" : "en",
      "favorite_count" : "3",
      "retweet_count" : "1",
      "entities" : {
        "hashtags" : [
          {
            "text" : "datapunk",
            "indices" : [
              "41",
              "50"
            ]
          }
        ],
        "symbols" : [],
        "user_mentions" : [
          {
            "name" : "SQLite",
            "screen_name" : "sqlite",
            "indices" : [
              "51",
              "58"
            ],
            "id_str" : "15065010",
            "id" : "15065010"
          }
        ],
        "urls" : [
          {
            "url" : "https://t.co/abc123",
            "expanded_url" : "https://example.org/lake",
            "display_url" : "example.org/lake",
            "indices" : [
              "71",
              "94"
            ]
          }
        ]
      },
      "display_text_range" : [
        "0",
        "94"
      ],
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "favorited" : false,
      "retweeted" : false,
      "truncated" : false,
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "1050118621198921728"
          ],
          "editableUntil" : "2018-10-10T20:49:24.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : true
        }
      }
    }
  }, {
    "tweet" : {
      "id" : "1620000000000000001",
      "created_at" : "Mon Jan 30 09:05:00 +0000 2023",
      "full_text" : "Café con leche y datos limpios por la mañana ☕",
      "lang" : "es",
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
        "48"
      ],
      "source" : "<a href=\"http://twitter.com/download/android\" rel=\"nofollow\">Twitter for Android</a>",
      "favorited" : false,
      "retweeted" : false,
      "truncated" : false
    }
  }, {
    "tweet" : {
      "id" : "1760000000000000002",
      "created_at" : "Thu Feb 29 23:59:59 +0000 2024",
      "full_text" : "Leap day, last second. 🎉 Counting 1.50 and 1.500 as different spellings.",
      "lang" : "en",
      "favorite_count" : "12",
      "retweet_count" : "4",
      "entities" : {
        "hashtags" : [],
        "symbols" : [],
        "user_mentions" : [],
        "urls" : []
      },
      "display_text_range" : [
        "0",
        "72"
      ],
      "in_reply_to_status_id" : "1050118621198921728",
      "in_reply_to_status_id_str" : "1050118621198921728",
      "in_reply_to_user_id" : "1012345678901234567",
      "in_reply_to_screen_name" : "ada_punk",
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "favorited" : true,
      "retweeted" : false,
      "truncated" : false
    }
  }, {
    "tweet" : {
      "id" : "1500000000000000003",
      "created_at" : "Sat Mar 05 04:00:00 +0000 2022",
      "full_text" : "データの湖を作っています",
      "lang" : "ja",
      "favorite_count" : "1",
      "retweet_count" : "0",
      "entities" : {
        "hashtags" : [],
        "symbols" : [],
        "user_mentions" : [],
        "urls" : []
      },
      "display_text_range" : [
        "0",
        "12"
      ],
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "favorited" : false,
      "retweeted" : false,
      "truncated" : false
    }
  }, {
    "tweet" : {
      "id" : "1700000000000000004",
      "created_at" : "Sun Mar 26 01:30:00 +0000 2023",
      "full_text" : "RT @sqlite: WAL mode &lt;3",
      "lang" : "und",
      "favorite_count" : "0",
      "retweet_count" : "0",
      "entities" : {
        "hashtags" : [],
        "symbols" : [],
        "user_mentions" : [
          {
            "name" : "SQLite",
            "screen_name" : "sqlite",
            "indices" : [
              "3",
              "10"
            ],
            "id_str" : "15065010",
            "id" : "15065010"
          }
        ],
        "urls" : []
      },
      "display_text_range" : [
        "0",
        "24"
      ],
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "favorited" : false,
      "retweeted" : false,
      "truncated" : false,
      "extended_entities" : {
        "media" : [
          {
            "id" : "1700000000000000099",
            "media_url_https" : "https://pbs.twimg.com/media/Fabc.jpg",
            "type" : "photo",
            "sizes" : {
              "large" : {
                "w" : "2048",
                "h" : "1536",
                "resize" : "fit"
              }
            }
          }
        ]
      }
    }
} ]