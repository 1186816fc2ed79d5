window.YTD.account_suspension.part0 = []
