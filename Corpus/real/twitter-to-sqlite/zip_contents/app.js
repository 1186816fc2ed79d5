window.YTD.app.part0 = [
  {
    "app" : {
      "appId" : "1380676511",
      "appNames" : [
        "BBC Sounds"
      ]
    }
  }
]