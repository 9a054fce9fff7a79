window.gallery3 = 3;
