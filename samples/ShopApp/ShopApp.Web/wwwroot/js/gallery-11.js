window.gallery11 = 11;
