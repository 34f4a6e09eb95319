# One date format for the registry's Arabic pages (and the family portal's): month names
# in Arabic; the day and year in the digits the page uses.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y، H:i"
SHORT_DATE_FORMAT = "j F Y"
SHORT_DATETIME_FORMAT = "j F Y، H:i"
DATE_INPUT_FORMATS = ["%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
# Numbers with a decimal point, as the figures of the reports and the engine are written
# (Django's Arabic default, a decimal comma, would read 35,13 as two numbers here).
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
