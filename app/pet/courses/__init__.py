"""PET courses: design, modules, employers' comments and the delivery plan."""
