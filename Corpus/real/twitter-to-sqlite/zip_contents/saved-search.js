window.YTD.saved_search.part0 = [ {
  "savedSearch" : {
    "savedSearchId" : "42214",
    "query" : "simonw"
  }
}, {
  "savedSearch" : {
    "savedSearchId" : "55814",
    "query" : "django"
  }
} ]