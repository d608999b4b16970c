"""Data: the model, reading and validating the data folder, the loaded atlas, reports and exports."""
