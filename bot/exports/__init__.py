"""Files and reports rendered for people: report text, workbook, chart, poster, calendar.

Import the modules themselves, where a file is produced: matplotlib, openpyxl, Pillow and
segno cost about a second and ~80 MB at start-up, so this package imports none of them.
"""
