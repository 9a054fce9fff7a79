window.gallery8 = 8;
