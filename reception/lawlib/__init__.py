"""The law library: parsing official texts, the .law file format, importing and looking up articles."""
