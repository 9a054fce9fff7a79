window.gallery1 = 1;
