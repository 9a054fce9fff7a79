window.gallery15 = 15;
