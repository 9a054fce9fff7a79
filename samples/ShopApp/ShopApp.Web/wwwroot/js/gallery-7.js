window.gallery7 = 7;
