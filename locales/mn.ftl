# Mongolian (traditional script) UI strings. Only strings written and checked by a
# Mongolian reader belong here; every missing key falls back to Chinese (zh.ftl).
# The languages issue completes this bundle; see TRANSLATION-TODO in that issue.
