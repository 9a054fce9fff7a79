window.gallery16 = 16;
