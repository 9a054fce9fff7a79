window.gallery14 = 14;
