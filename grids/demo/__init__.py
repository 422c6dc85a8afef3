"""The demo data set: Yaohai District as the article describes it, and a small second district."""
