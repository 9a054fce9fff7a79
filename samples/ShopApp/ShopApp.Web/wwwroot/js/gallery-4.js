window.gallery4 = 4;
