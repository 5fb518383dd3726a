# Mongolian (traditional script) UI strings. Only strings written and checked by a
# Mongolian reader belong here; every missing key falls back to Chinese (zh.ftl).
# Keys still to be written are listed in mn-todo.txt (a test keeps the two in step).
