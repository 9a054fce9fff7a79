window.gallery10 = 10;
