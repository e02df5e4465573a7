package i18n

// frKB is the French catalog of the knowledge-base pages (staff and portal), the search page.
var frKB = map[string]string{}
