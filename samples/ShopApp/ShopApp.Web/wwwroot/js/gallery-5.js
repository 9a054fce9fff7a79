window.gallery5 = 5;
