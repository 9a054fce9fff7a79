window.gallery13 = 13;
