// cpu
