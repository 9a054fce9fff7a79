window.gallery9 = 9;
