window.gallery2 = 2;
