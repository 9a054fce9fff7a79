window.gallery6 = 6;
