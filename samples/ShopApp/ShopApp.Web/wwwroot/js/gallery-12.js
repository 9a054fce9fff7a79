window.gallery12 = 12;
