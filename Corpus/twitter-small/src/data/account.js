window.YTD.account.part0 = [
  {
    "account" : {
      "email" : "ada.punk@example.org",
      "createdVia" : "web",
      "username" : "ada_punk",
      "accountId" : "1012345678901234567",
      "createdAt" : "2018-06-29T14:03:11.000Z",
      "accountDisplayName" : "Ada Punk"
    }
  }
]
