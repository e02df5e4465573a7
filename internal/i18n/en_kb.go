package i18n

// enKB is the English catalog of the knowledge-base pages (staff and portal), the search page.
var enKB = map[string]string{}
