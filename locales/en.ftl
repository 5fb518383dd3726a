# English UI strings. Must hold exactly the keys of zh.ftl (a unit test checks).

site-name = Digital Education Base
site-region = Horqin Left Back Banner
site-tagline = Visit the education bases of Horqin Left Back Banner online: photographs, texts and exhibitions of Urliger storytelling, Andai dance, the morin khuur, Mongolian horse gear and more.
skip-to-content = Skip to content
language = Language
main-navigation = Main navigation
nav-home = Home
nav-exhibitions = Exhibitions
nav-items = Collection
nav-bases = Education bases
footer-about = The banner's education bases, online: one exhibition visit and one essay for every student, every year.
footer-api = Open data API (JSON)
footer-rights = Unless stated otherwise, texts on this site are CC0; every media file shows its own source and licence.

home-title = Home
home-heading = The living heritage of the Horqin steppe
home-lead = Storytelling, epic, song and dance; horse gear, household objects and festivals. Visit the banner's education bases on your phone, one stop and one object at a time.
start-visit = Start the visit
browse-collection = Browse the collection
featured-exhibitions = Featured exhibitions
all-exhibitions = All exhibitions
heritage-categories = Heritage categories
from-the-collection = From the collection
education-bases = Education bases
all-bases = All bases
empty-catalogue = Nothing has been published here yet
empty-catalogue-hint = Items and exhibitions appear here once curators publish them.

bases-lead = The banner's bases for patriotic and ethnic-unity education: museums, school exhibition rooms and cultural stations.
no-bases = No education base has been published yet.
base-level = { $level } education base
visit-information = Visitor information
field-town = Town
field-address = Address
field-opening-hours = Opening hours
field-contact = Contact
field-website = Website
items-kept-here = Items kept here
see-all = See all
no-items-here = This base has not published any items yet.

items-lead = Filter by heritage category, by base or by kind of media, or look an item up by name.
search-label = Search
search-placeholder = Title, summary or accession number
filter-category = Category
filter-base = Base
filter-media = Media
filter-any = Any
apply-filters = Apply
clear-filters = Clear all filters
no-results = No items match
no-results-hint = Try another word, or remove a filter.
pagination = Pages
first-page = Back to the first page
next-page = Next page
items-count = { $n ->
    [one] { $n } item
   *[other] { $n } items
}

protection-level = { $level } intangible heritage
media-heading = Images
no-media-yet = There are no pictures or recordings of this item yet; start with its story.
credit = Credit
source = Source
view-original = View the original ({ $size })
record-heading = About this item
field-accession = Accession number
field-category = Category
field-protection-level = Protection level
field-place = Place
field-period = Period
field-inheritors = Bearers of the tradition
field-base = Kept by
field-subjects = Subjects
field-rights = Text licence
in-exhibitions = Appears in these exhibitions
related-items = Related items

exhibitions-lead = Online exhibitions curated by the bases. Pick one and follow the guided visit, stop by stop.
no-exhibitions = No exhibition has been published yet.
stops-count = { $n ->
    [one] { $n } stop
   *[other] { $n } stops
}
the-path = The route
stop-progress = Stop { $n } of { $total }
read-more-about-item = Read the full record of this item
visit-navigation = Guided visit
previous-stop = Previous stop
next-stop = Next stop
exhibition-overview = About the exhibition
finish-visit = Finish the visit
visit-keyboard-hint = Tip: use the left and right arrow keys, or swipe, to move between stops.

error-404-title = Page not found
error-404-text = The link may have changed, or this content is not public yet. You can continue your visit from here.
error-400-title = Something is wrong with this link
error-400-text = The link contains something we cannot understand.
error-500-title = Something went wrong
error-500-text = The server ran into an error; it has been logged. Please try again in a moment.
error-503-title = Temporarily unavailable
error-503-text = The service is busy or under maintenance. Please try again in a moment.
error-bad-param = The value “{ $value }” is not valid for { $param }.
error-allowed-values = Valid values: { $allowed }.

category-folk_literature = Folk literature
category-traditional_music = Traditional music
category-traditional_dance = Traditional dance
category-traditional_drama = Traditional drama
category-quyi = Storytelling and ballad singing
category-sports_games_acrobatics = Sports, games and acrobatics
category-traditional_art = Traditional fine arts
category-traditional_craft = Traditional craftsmanship
category-traditional_medicine = Traditional medicine
category-folk_custom = Folk customs

level-national = National
level-region = Autonomous-region
level-city = City
level-banner = Banner

base-kind-museum = Museum
base-kind-school_hall = School exhibition room
base-kind-cultural_station = Cultural station
base-kind-heritage_centre = Heritage centre
base-kind-other = Other

media-kind-image = Images
media-kind-audio = Audio
media-kind-video = Video
media-kind-document = Documents

error-401-title = Please sign in
error-401-text = This page needs a curator's or teacher's account.
error-403-title = Not allowed
error-403-text = Your account cannot do this. If the form was open for a long time, reload the page and try again.
error-409-title = Conflicting change
error-409-text = Someone else changed this record, or it exists already. Nothing you wrote is lost; reload, compare and save again.

admin-title = Admin
admin-dashboard = Dashboard
admin-public-site = View the site
admin-sign-out = Sign out
admin-sign-out-everywhere = Sign out on all devices
admin-welcome = Hello, { $name }
admin-your-bases = Your bases
admin-security = Account security
admin-session-info = You are signed out after 4 hours without activity, or 24 hours after signing in. If you signed in on a shared computer, you can end every session here.
admin-recent-changes = Recent changes
audit-when = When
audit-who = Who
audit-what = Action
audit-record = Record
role-admin = Administrator
role-curator = Curator
role-teacher = Teacher

login-title = Sign in
login-lead = Curators, teachers and administrators sign in here. Students need no account for a visit.
login-submit = Sign in
login-invalid = Wrong user name or password.
login-account-locked = { $n ->
    [one] Too many failed sign-ins for this account. Try again in 1 minute.
   *[other] Too many failed sign-ins for this account. Try again in { $n } minutes.
}
login-address-locked = { $n ->
    [one] Too many failed sign-ins from your network. Try again in 1 minute.
   *[other] Too many failed sign-ins from your network. Try again in { $n } minutes.
}
field-username = User name
field-password = Password
field-display-name = Display name
field-new-password = New password
field-repeat-password = Repeat the password
username-hint = 3–32 characters: letters a–z, digits, “.”, “_” or “-”, starting with a letter.
password-hint = At least 10 characters, any script; do not include your user name.
password-too-short = The password is too short: it needs at least 10 characters.
password-too-long = The password is too long.
password-has-username = The password must not contain the user name.
password-too-common = This password is too easy to guess; choose another.
password-mismatch = The two passwords differ.
username-taken = This user name is taken.

setup-title = Create the first administrator
setup-lead = This link works once, for one hour. Afterwards, sign in with the new account.
setup-submit = Create the administrator
setup-invalid = This setup link is not valid: it may have been used or have expired, or an administrator exists already. Restart edubase on the server for a new link, or sign in.

transcript = Transcript
duration = Length
download-recording = Download the recording
download-video = Download the video
open-document = Open the document

# cataloguing
admin-items = Items
admin-exhibitions = Exhibitions
admin-bases = Bases
admin-users = Users
admin-audit = Audit log
item-new = New item
item-create = Create the item
item-history = History
item-view-public = View on the site
item-revision = Revision { $n }
field-title = Title
field-summary = Summary
field-description = Description
field-slug = Web address
field-year = Year
field-status = Status
# dashboard
dash-scope-all = These figures cover every base.
dash-scope-bases = These figures cover only your bases.
dash-items = Items
dash-published-n = { $n } published
dash-attention = Needs attention
dash-attention-note = Missing alt text or rights
dash-storage = Storage used
dash-media-files = { $n ->
    [one] { $n } media file
   *[other] { $n } media files
}
dash-visits-total = Page views, last 30 days
dash-visits-private = Totals only: no cookies, no IP addresses
dash-visits = Visits per day
dash-visits-title = Public page views per day over the last 30 days
dash-visits-desc = { $total } page views from { $first } to { $last }; the busiest day was { $busiest }, with { $max }.
dash-visits-none = No public pages have been viewed in the last 30 days.
dash-visits-numbers = Show the numbers for each day
dash-day = Day
dash-views = Page views
dash-counts = Items by status and category
dash-total = Total
dash-no-items = There are no items yet.
status-draft = Draft
status-in_review = In review
status-published = Published
status-archived = Archived
form-save = Save
form-choose = Choose…
form-none = None
form-has-errors = The item was not saved. Correct the fields marked below; everything you typed is kept.
form-required = This field is required.
form-bad-accession = Up to 40 letters, digits, “.”, “-” or “/”, starting with a letter or digit, e.g. KZ-2025-001.
form-bad-slug = Up to 80 lower-case letters a–z, digits and hyphens, not starting or ending with a hyphen, e.g. andai-dance.
form-slug-hint = The last part of the item’s web address. Lower-case letters a–z, digits and hyphens.
form-slug-taken = Another item already has this web address.
form-accession-taken = Another item already has this accession number.
form-choose-base = Choose a base you may catalogue for.
form-choose-category = Choose a category.
form-choose-level = Choose a protection level from the list.
form-bad-year = Give a year between -5000 and 2200, or leave it empty.
form-bad-rights = Choose a licence from the list.
form-title-zh-required = The Chinese title is required.
form-too-long = This text is too long.
form-one-per-line = one per line
conflict-title = Someone else saved this item while you were editing.
conflict-text = It is now at revision { $n }. Your text is kept in the form below; compare it with their changes, then save again.
notice-created = The item was created as a draft.
notice-saved = Saved.
notice-published = Published: the item is now on the public site.
notice-media = The media were updated.
workflow-heading = Publishing
workflow-now = Status now:
workflow-to-draft = Back to draft
workflow-to-in_review = Ask for review
workflow-to-published = Publish
workflow-to-archived = Archive
publish-needs = Before publishing, add:
publish-blocked = This item cannot be published yet.
publish-needs-rights = a licence for the record text
publish-needs-alt = a Chinese text alternative for image { $n } ({ $name })
publish-needs-media-rights = a licence for media file { $n } ({ $name })
batch-label = With the chosen items
batch-apply = Apply to chosen
batch-select = Choose
batch-select-all = Choose every item on this page
batch-chosen = { $n ->
    [one] 1 item chosen
   *[other] { $n } items chosen
}
batch-none = Tick the items to change first.
batch-done = { $n ->
    [one] 1 item is now “{ $status }”.
   *[other] { $n } items are now “{ $status }”.
}
batch-skipped = { $n ->
    [one] 1 item was left as it was:
   *[other] { $n } items were left as they were:
}
batch-why-missing = There is no such item.
batch-why-forbidden = You may not change the items of this base.
batch-why-changed = Someone changed it after the list was shown: open the list again and retry.
batch-why-move = It cannot go from “{ $from }” to “{ $to }” directly.
assignment-edit = Change instructions and days
assignment-edit-hint = Change what the students are told, the essay's topic and length, and the first and last days (a week more for the class, say). What is visited cannot change any more; essays already handed in stay as they are.
assignment-edit-errors = Please correct what is marked below.
assignment-edit-save = Save the changes
assignment-notice-saved = The changes are saved.
batch-confirm = { $n ->
    [one] This takes 1 published item off the public site, as “{ $status }”:
   *[other] This takes { $n } published items off the public site, as “{ $status }”:
}
batch-confirm-yes = { $n ->
    [one] Change the 1 item
   *[other] Change these { $n } items
}
batch-confirm-no = Cancel
items-of-import = Only the items one bulk import created.
items-import-report = The import's report
items-show-all = Show every item
import-review-items = { $n ->
    [one] Review and publish the item imported
   *[other] Review and publish the { $n } items imported
}
history-field = Field
history-before = Before
history-after = After
history-current = current
history-first = Created.
history-no-field-changes = No change to the record fields (media or status only).
history-restore = Restore revision { $n }
media-panel-heading = Photos, recordings and documents
media-none = No media yet. Add photos, audio, video or PDF documents above.
media-refused = The file was refused:
media-alt = Text alternative (describes the image for people who cannot see it)
media-caption = Caption
media-rights = Licence
media-needs-alt = Needs a Chinese text alternative before publishing.
media-up = Up
media-down = Down
media-replace = Replace the file
media-remove = Remove
media-remove-confirm = Remove this file from the item? The description is kept in the history.
media-tracks = Captions
media-track-kind = Kind
track-captions = Captions
track-subtitles = Subtitles
track-descriptions = Audio descriptions
upload-drop = Drop files here or choose them
upload-kinds = JPEG, PNG, WebP, TIFF, audio, MP4/WebM video, PDF. Large files resume if the network drops.
upload-submit = Upload
upload-done = done
upload-failed = failed
upload-paused = waiting for the network…
dash-attention-lead = Images need Chinese alt text so that people using screen readers can follow; every file needs a rights statement so that others know whether they may reuse it.
dash-attention-none = Every image has Chinese alt text and every file has a rights statement.
dash-missing-alt = { $n ->
    [one] { $n } image without Chinese alt text
   *[other] { $n } images without Chinese alt text
}
dash-missing-rights = { $n ->
    [one] { $n } file without a rights statement
   *[other] { $n } files without a rights statement
}
dash-attention-more = Only the first { $n } are listed.
dash-changes-mine = Your recent changes
dash-changes-none = No changes yet.
dash-classroom = This school year's assignments
dash-teaching-none = No assignment set this school year yet. Open a class and pick an exhibition to set one.
dash-teaching-no-class = Add your classes first, then set them a visit: students join with a code, no account needed.
dash-teaching-joined = Joined
dash-teaching-submitted = Essays in
dash-teaching-waiting = To review
dash-teaching-classes = My classes
dash-browse-exhibitions = Browse the exhibitions

## Admin: bases
base-new = New base
base-create = Create base
base-record-heading = The base
base-slug-fixed = The web address of a base does not change once it exists: links and curators’ assignments depend on it.
base-slug-taken = Another base already has this web address.
base-form-has-errors = The base was not saved. Correct the fields marked below; everything you typed is kept.
base-conflict-title = Someone else saved this base while you were editing.
base-notice-created = The base was created.
base-notice-saved = Saved.
bases-none-yours = No bases are assigned to you yet. An administrator can assign them on your user page.
conflict-saved = Saved now
conflict-yours = Your text
field-name = Name
field-kind = Kind
field-base-level = Designation
field-latitude = Latitude
field-longitude = Longitude
form-choose-kind = Choose a kind of base from the list.
form-choose-status = Choose a status from the list.
form-name-zh-required = The Chinese name is required.
form-bad-website = Give a web address starting with https:// (or http://), without spaces.
form-bad-latitude = Give a latitude between -90 and 90 (e.g. 42.95), or leave both coordinates empty.
form-bad-longitude = Give a longitude between -180 and 180 (e.g. 122.36), or leave both coordinates empty.

## Admin: users
user-new = New user
user-create = Create user
field-role = Role
field-bases = Bases
field-account-state = Account
field-first-password = First password
user-first-password-hint = At least 10 characters. Give it to the person in private; they can sign in with it at once.
role-admin-hint = users, bases, the audit log and everything curators do
role-curator-hint = catalogue, exhibitions and publishing for their bases
role-teacher-hint = classes and visits only
user-bases-hint = Only curators have bases: they may change the records of the bases ticked here.
user-active = Active
user-disabled = Disabled
user-access-heading = Name and role
user-password-heading = New password
user-password-lead = Setting a new password signs the person out on every device.
user-set-password = Set password
user-account-heading = Account
user-sign-out-everywhere = Sign out on every device
user-disable = Disable account
user-disable-hint = A disabled account cannot sign in and is signed out at once. Its changes stay in the history.
user-enable = Enable account
user-their-changes = Their changes
user-choose-role = Choose a role.
user-unknown-base = One of the chosen bases does not exist any more. Reload the page and choose again.
user-last-admin = This is the last active administrator: make someone else an administrator first.
user-not-yourself = You cannot disable your own account; ask another administrator.
user-notice-created = The user was created. They can sign in now.
user-notice-saved = Saved.
user-notice-password = The password was changed and the person was signed out everywhere.
user-notice-disabled = The account was disabled and signed out everywhere.
user-notice-enabled = The account was enabled.
user-notice-signed-out = The person was signed out on every device.

## Admin: audit log
audit-kind = Kind of record
audit-changes = Changes
audit-none = Nothing matches these filters.
audit-time-zone = Times are Beijing time (UTC+8).
audit-n-fields = { $n ->
    [one] { $n } field
   *[other] { $n } fields
}
audit-entity-item = Item
audit-entity-exhibition = Exhibition
audit-entity-base = Base
audit-entity-media = Media
audit-entity-user = User
# exhibitions editor
exhibition-new = New exhibition
exhibition-create = Create exhibition
exhibition-none = No exhibitions yet.
exhibition-stops = Stops
exhibition-featured = Featured
exhibition-featured-label = Feature on the home page
exhibition-record = Exhibition
exhibition-slug-hint = The last part of the exhibition's address: lowercase letters a–z, digits and hyphens only.
exhibition-cover = Cover
exhibition-cover-first = The first stop's image
exhibition-cover-not-a-stop = Choose the cover among this exhibition's stops.
exhibition-slug-taken = Another exhibition already uses this address.
exhibition-has-errors = The exhibition was not saved. Please fix the fields marked below; everything you typed is kept.
exhibition-conflict-title = Someone else saved this exhibition while you were editing it.
exhibition-conflict-text = It is now at revision { $n }. Your text is kept in the form and was not saved; look at the exhibition as it is now, then decide whether to save.
exhibition-preview = Preview
exhibition-preview-banner = Preview: this is how the exhibition will look on the public site once published. The public cannot see it yet.
exhibition-preview-hidden = { $n ->
    [one] One stop shows an item that is not published; the public will not see it.
   *[other] { $n } stops show items that are not published; the public will not see them.
}
exhibition-hidden-stops = { $n ->
    [one] Note: one stop shows an item that is not published, so the public site will not show it.
   *[other] Note: { $n } stops show items that are not published, so the public site will not show them.
}
exhibition-needs-title = a Chinese title
exhibition-needs-stops = at least one stop
exhibition-publish-blocked = This exhibition cannot be published yet.
exhibition-no-stops = No stops yet. Find items below and add them.
exhibition-notice-created = The exhibition was created as a draft. Now add its stops.
exhibition-notice-saved = Saved.
exhibition-notice-published = Published: the exhibition is on the public site.
exhibition-notice-stop_added = Stop added.
exhibition-notice-stop_saved = Stop saved.
exhibition-notice-stop_moved = Stop moved.
exhibition-notice-stop_removed = Stop removed.
field-subtitle = Subtitle
field-introduction = Introduction
stop-remove = Remove stop
stop-item-not-public = This item is not published, so the public site will not show this stop.
stop-narrative = Narrative
stop-focus = Image to show
stop-focus-cover = The item's first image
stop-audio = Audio guide
stop-audio-none = None
stop-audio-hint = This item has no audio yet. Upload a recording on the item's page first.
stop-save = Save stop
stop-add-heading = Add a stop
stop-search-label = Find items by title, summary or accession number
stop-search-button = Search
stop-already-in = Already a stop
stop-add = Add
stop-already-added = This item is already a stop of this exhibition.
stop-has-errors = The stop was not saved. Please fix the marked fields; everything you typed is kept.
stop-bad-focus = Choose one of this item's images.
stop-bad-audio = Choose one of this item's audio files.
audio-guide = Audio guide
# Bulk import (CSV + media zip)
admin-import = Bulk import
import-intro = Import many items at once from a spreadsheet: upload an Excel workbook or a CSV file, and a zip of media files if rows name any. The file is checked first, and checking writes nothing. New items are drafts; updated items keep their status.
import-csv-label = Spreadsheet (CSV or Excel .xlsx)
import-csv-hint = An Excel or WPS workbook (.xlsx, its first sheet), or CSV in UTF-8 (with or without BOM) or GBK as saved by Excel. The first row names the columns, by English code or by Chinese name (编号, 标题, 类别, 基地…).
import-media-label = Media files (zip, optional)
import-media-hint = The “media” column names the files, separated by semicolons; alt texts of images go in “media_alt_zh” in the same order.
import-template = Download the template (CSV)
import-columns = Required columns: accession, base, category, title_zh. A blank slug is made from the accession number. A row never overwrites an existing accession number unless it carries that item’s revision, as a catalogue export does.
import-check = Check the file
import-problems = { $n ->
    [one] 1 problem found; nothing was written. Correct the file and upload it again.
   *[other] { $n } problems found; nothing was written. Correct the file and upload it again.
}
import-col-row = Row
import-col-column = Column
import-col-problem = Problem
import-col-result = Result
import-ready = { $n ->
    [one] 1 row passed every check and is ready to import.
   *[other] { $n } rows passed every check and are ready to import.
}
import-run = Import now
import-running = Importing: { $done } of { $total } rows done. This page refreshes every 2 seconds.
import-done = Import finished: { $created } created, { $failed } failed.
import-result-created = created
import-result-failed = failed
import-report = Download the report (CSV)
import-again = Import another file
csv-none = Choose a CSV file.
csv-too-large = The file is too large; the limit is { $max } MB.
csv-bad-encoding = The file is neither UTF-8 nor GBK: byte { $byte } at offset { $offset } (line { $line }) is not valid. In Excel, use “Save as” → “CSV UTF-8 (comma delimited)”.
csv-utf16 = This is a UTF-16 (“Unicode text”) file. In Excel, use “Save as” → “CSV UTF-8 (comma delimited)”.
csv-empty = The file is empty.
csv-malformed = This row cannot be read: { $detail }
csv-unknown-column = Unknown column “{ $column }”. Use the column names of the template.
csv-duplicate-column = The column “{ $column }” appears twice.
csv-missing-columns = Required columns are missing: { $columns }.
csv-extra-cells = This row has cells without a column name, from column { $n } on.
csv-required = Required.
csv-unknown-category = Unknown category “{ $value }”. Use one of: { $valid } (or the Chinese name, e.g. 传统技艺).
csv-unknown-level = Unknown protection level “{ $value }”. Use one of: { $valid } (or 国家级, 自治区级, 市级, 旗县级).
csv-unknown-base = There is no base “{ $value }”. Bases you may import into: { $valid }.
csv-base-forbidden = You may not import items into the base “{ $value }”. Bases you may import into: { $valid }.
csv-bad-rights = “{ $value }” is not a rights URI. Use a Creative Commons or RightsStatements.org URI.
csv-duplicate-accession = Accession number { $value } is already used in row { $first }.
csv-duplicate-slug = Slug { $value } is already used in row { $first }.
csv-accession-exists = The catalogue already has an item with this accession number ({ $slug }). A row without a revision makes a new item and never overwrites one: to update items, export them from the item list (“Download as spreadsheet”), edit that file and import it; or use a new number.
csv-slug-exists = The catalogue already has an item with this slug.
csv-media-bad-name = “{ $name }” must be a file name or a path inside the zip, not an absolute path or one with “..”.
csv-alt-count = There are { $alts } alt texts but only { $files } media files.
csv-media-no-zip = This row needs the file “{ $name }”, but no media zip was uploaded.
csv-media-missing = The zip has no file “{ $name }”.
csv-media-ambiguous = The zip has several files named “{ $name }”; write the path with its folder.
csv-media-refused = The file “{ $name }” cannot be imported: { $reason }
csv-media-too-large = The file “{ $name }” is too large; the limit is { $max } MB.
csv-zip-bomb = The file “{ $name }” inflates to an absurd size (a zip bomb?) and was refused.
csv-zip-unsafe-name = The zip entry “{ $name }” is an absolute path or points outside the archive; the whole zip is refused.
csv-zip-too-many = The zip has more than { $max } files.
csv-zip-unreadable = The media file is not a readable zip: { $detail }
csv-row-failed = This row could not be written: { $reason }
import-interrupted = The import stopped before its last row. The rows listed as created are complete; the others were not written: import them again (existing accession numbers are refused, so nothing is doubled).

## Search
search-results = { $n ->
    [one] { $n } item found
   *[other] { $n } items found
}
search-nothing-hint = Try fewer or shorter words, pinyin (for example andaiwu or adw), or another language.
search-remove-filters = Search again without the filters
search-browse = Or browse a category:
facet-category = Category
facet-base = Base
facet-media = Media
facet-level = Protection level
facet-period = Period
facet-period-ad = { $years }
facet-period-bc = { $years } BC
facet-remove = remove this filter
search-suggestions = Suggestions

## Classroom: teachers' classes and assignments
admin-classes = Classes
admin-report = Banner report
field-school = School
field-grade = Grade
field-class-name = Class
field-exhibition = Exhibition
field-join-code = Join code
field-dates = Dates
field-instructions = Instructions for students
field-essay-prompt = Essay topic
field-essay-min = Minimum essay length (characters)
field-opens = Opens on
field-closes = Closes after (inclusive)
class-none = No classes yet. Create your first class below.
class-new = New class
class-create = Create class
class-school-example = e.g. Ganjig No. 2 Middle School
class-grade-example = e.g. Grade 7
class-name-example = e.g. Class 3
class-error-required = This field is required.
class-error-too-long = Too long, or contains invisible characters.
class-assignments = Assignments
class-no-assignments = This class has no assignments yet.
class-delete = Delete class
class-delete-explain = Deleting the class also deletes all its assignments and every student's visit, answers and essay. This cannot be undone.
class-notice-deleted = The class and all its data were deleted.
assignment-new = Set a visit
assignment-create = Create assignment
assignment-pick-exhibition = Choose a published exhibition
assignment-questions-later = After creating it you can add questions at each stop.
assignment-error-exhibition = Choose a published exhibition that has stops.
assignment-tour = What to visit
assignment-tour-exhibition = A published exhibition
assignment-tour-items = Items I pick (each item is one stop)
field-tour-title = Title of this visit
field-tour-items = Items
field-tour-items-hint = One per line: an accession number (e.g. KZH-0008) or the item's address, in visiting order, at most 30.
assignment-error-items = Write one published item per line — its accession number or address — with no repeats and at most 30; a line was not found or appears twice.
assignment-error-min-chars = Enter a number from 0 to 5000.
assignment-error-date = Enter a date as year-month-day.
assignment-error-closes = The closing date cannot be before the opening date, and at most a year later.
assignment-open = Open
assignment-not-open = Not open
assignment-handout = Print handout
assignment-export = Export CSV
assignment-qr = QR code to join
assignment-retention = Students' visits and essays will be deleted automatically on { $day }.
assignment-students = Students
assignment-students-count = { $submitted ->
    [one] { $n } joined, { $submitted } essay submitted
   *[other] { $n } joined, { $submitted } essays submitted
}
assignment-live = This page reloads itself every 30 seconds.
assignment-no-students = No student has joined yet. Give them the join code or the handout.
assignment-questions = Questions by stop
assignment-no-questions = No questions at this stop.
assignment-close = Close assignment
assignment-close-explain = After closing, students can no longer answer or submit; what was submitted is kept.
assignment-notice-closed = The assignment is closed.
assignment-notice-question = Question added.
question-add = Add question
question-stop = Stop
question-kind = Type
question-kind-choice = Multiple choice
question-kind-short = Short answer
question-prompt = Question
question-choices = Choices (multiple choice)
question-choices-hint = One choice per line, 2 to 6.
question-answer = Number of the right choice (multiple choice)
question-right = right answer
question-delete = Delete
question-error-stop = Choose a stop.
question-error-kind = Choose a type.
question-error-choices = A multiple-choice question needs 2 to 6 choices of at most 200 characters.
question-error-answer = Enter the number of the right choice, e.g. 1.
csv-nickname = Nickname
csv-stops-seen = Stops seen
csv-answered = Answered
csv-score = Score
csv-essay-status = Essay
csv-essay-chars = Characters
csv-submitted-at = Submitted (Beijing time)
csv-essay = Essay text
essay-status-submitted = Submitted
essay-status-draft = Draft
essay-status-none = Not started
handout-back = Back to the assignment
handout-print-hint = Use your browser's Print to print it on A4.
handout-lead = Visit this online exhibition on a phone, answer the questions at each stop, and write an essay.
handout-step-scan = 1. Scan the QR code with a phone;
handout-step-type = 2. or open { $url } and type this join code:
handout-resume = After joining you get a resume code to continue on another phone.
report-school-year = School year
report-show = Show
report-export = Export CSV
report-explain = Assignments, students who visited and essays submitted, per school and grade. Counts only, nothing about any student.
report-none = No assignments in this school year yet.
report-assignments = Assignments
report-visitors = Students who visited
report-essays = Essays submitted
report-total = Total
report-chart = Visits and essays

## Classroom: students' visit
visit-start-title = Join a class visit
visit-start-lead = Type the join code your teacher gave you, or scan the QR code on the handout.
visit-code-label = Join code
visit-code-hint = 8 letters and digits; upper or lower case.
visit-code-go = Go
visit-privacy = No account needed. Do not enter your full name, phone number or anything personal. Visits and essays are deleted automatically after the school year.
visit-try-again = Try again
visit-unknown-code-title = Code not found
visit-unknown-code = Check the code (it has no 0, 1, O, I, L or U), or ask your teacher.
visit-too-many-title = Too many wrong codes
visit-too-many = Too many wrong codes came from this network. Try again in { $n } minutes, or ask your teacher.
visit-closed-title = Assignment closed
visit-closed = This assignment closed after { $day }; answers and essays can no longer be submitted.
visit-not-open-yet = This assignment opens on { $day }.
visit-already-submitted = Your essay has been submitted and can no longer change.
visit-back-to-start = Back to the assignment
visit-due = Due: { $day }
visit-join-heading = First time here
visit-nickname-label = Your nickname
visit-nickname-hint = Something your teacher recognises; not your full name.
visit-nickname-error = Enter a nickname of 1 to { $max } characters.
visit-join = Start
visit-resume-heading = Continue on another device
visit-resume-label = Resume code
visit-resume = Continue
visit-resume-unknown = No visit has this resume code. Check it and try again.
visit-hello = Hello, { $name }!
visit-joined = You have joined. Write down your resume code:
visit-resume-explain = To continue on another phone or computer, type this resume code:
visit-progress = { $seen } of { $total } stops seen
visit-continue = Continue the visit
visit-go-essay = Write the essay
visit-see-confirmation = See your submission
visit-leave = Not me / hand the device to the next student
visit-questions = Questions at this stop
visit-save-next = Save and continue
essay-title = My essay
essay-min = At least { $min } characters.
essay-count = { $chars ->
    [one] { $chars } character
   *[other] { $chars } characters
}
essay-saved-at = Saved { $time }
essay-saving = Saving…
essay-offline = Offline: kept on this device, and uploaded when the network is back.
essay-restored = Restored text from this device that had not been uploaded.
essay-offline-submit = You are offline, so the essay has not been handed in. It is kept on this device: press “Submit essay” again when the connection is back.
offline-heading = Poor connection?
offline-explain = Save this visit on this device while the connection is good. You can then walk the stops and answer the questions without a network; your answers are sent when the connection returns.
offline-save = Save on this device for offline use
offline-update = Update the copy on this device
offline-progress = Downloading { $done } of { $total }…
offline-ready = Saved on this device: { $pages } pages, { $size } in all. They open without a network.
offline-recordings = Audio guides included: { $count }, { $size } in all.
offline-failed = The download did not finish, so nothing was saved. Try again when the connection is better.
offline-note = You are offline: this is the copy saved on this device. Your answers are sent when the connection returns.
essay-save = Save draft
essay-submit = Submit essay
essay-autosave-hint = What you write is saved automatically; after submitting it can no longer change.
essay-saved-notice = Draft saved.
essay-not-joined = Join the assignment first.
essay-too-short = The essay needs at least { $min } characters; it has { $chars }. Your draft is saved.
done-title = Essay submitted
done-text = Submitted at { $time } (Beijing time).
done-nickname = Nickname
done-essay = Essay
done-score = Multiple-choice score
done-teacher = Your teacher sees your visit, answers and essay on the class page.
done-next-student = Done: hand over to the next student
labels-title = Labels for printing
labels-print-hint = Print on A4 (two labels across); each label links to the item's page by its QR code.
labels-link = Print the labels for the base

# Deep zoom and IIIF on the item page
zoom-open = Zoom
zoom-viewer = Zoomable picture
zoom-help = Use + and − to zoom, the arrow keys to move and 0 to reset; on a touch screen, pinch to zoom. Esc closes.
zoom-in = Zoom in
zoom-out = Zoom out
zoom-reset = Reset the view
zoom-close = Close the zoom
zoom-loading = Opening the zoom…
zoom-failed = The zoom could not open. Try again later, or select the picture to see the original.
iiif-open = View in a IIIF viewer
iiif-help = Drag this link into a IIIF viewer such as Mirador or Universal Viewer, or copy the manifest address below and paste it there.
iiif-manifest-url = IIIF manifest address
iiif-copy = Copy
iiif-copied = Copied
dash-fixity-damaged = Damaged media files.
dash-fixity-note = The weekly fixity check ({ $date }) found these originals missing or changed. Restore them from a backup, then run edubase fixity to check again.
dash-fixity-missing = Missing
dash-fixity-corrupt = Corrupt
history-none-yet = No revisions yet: every revision is kept from the next change on.
history-found = As it was when its history began to be kept.
history-no-change = No change.

# Hall panoramas
base-panoramas = Walk the halls
panorama-eyebrow = Hall panorama
panorama-hint = Scroll the photograph sideways to look around the hall. The red numbers mark the items: tap one to open it.
panorama-sphere = View in 360°
panorama-flat = Back to the flat photograph
panorama-loading = Loading the panorama…
panorama-sphere-failed = This device cannot show the 360° view; the flat photograph above shows the same hall.
panorama-items = In this hall
panorama-no-items = No items are marked in this panorama yet.
panorama-marked = { $n ->
    [one] 1 item marked
   *[other] { $n } items marked
}
admin-panoramas = Hall panoramas
panorama-admin-intro = Upload a panorama of a hall (a 360° photograph is twice as wide as it is high; a wide photograph works too), then mark where each item stands. Once the base is published, visitors can walk the hall online and open each item by its number.
panorama-none = No panoramas yet.
panorama-title = Title
panorama-photo = Photograph
panorama-markers = Items marked
panorama-add = Add a panorama
panorama-file-hint = JPEG, PNG, WebP or TIFF, at least 1000 pixels wide, and not taller than wide.
panorama-upload = Upload
panorama-needs-file = Choose a photograph.
panorama-one-file = Upload one panorama at a time.
panorama-file-refused = This file cannot be used:
panorama-not-image = This is not a photograph:
panorama-too-small = The photograph is too small or upright: a panorama is at least 1000 pixels wide and not taller than wide. This one is
panorama-needs-title = Give a title in at least one language.
panorama-needs-alt = Describe what the photograph shows (alt text) in at least one language, for people who cannot see it.
panorama-removed = The panorama was removed (its photograph stays in the media store).
panorama-notice-added = The panorama was added. Now click the photograph to mark where the items stand.
panorama-notice-saved = Saved.
panorama-notice-placed = The item was marked.
panorama-notice-unplaced = The marker was removed.
panorama-place-hint = Click where the item stands in the photograph, or type where: percent from the left and from the top, 0–100.
panorama-item = Item (accession number)
panorama-x = Across (%)
panorama-y = Down (%)
panorama-place = Mark the item
panorama-unplace = Remove marker
panorama-no-item = There is no item with accession number “{ $accession }”.
panorama-describe = Title and alt text
panorama-remove = Remove this panorama
base-panoramas-link = Hall panoramas
panorama-bad-place = “{ $value }” is not a place in the photograph: give a number from 0 to 100 (percent).
panorama-too-many = A panorama has at most { $max } markers.
field-in-hall = In the hall
hall-marker = marker { $n }
audit-entity-panorama = Hall panorama
panorama-no-place = Click where the item stands in the photograph, or type where it is across and down (in percent).
panorama-doors = From this hall
panorama-door-to = Go to { $title }
panorama-doors-admin = Doors to other halls
panorama-door-hint = A door takes visitors to another panorama of this base, so they can walk from hall to hall. Click where the way through is in the photograph, then choose where it leads.
panorama-door-target = Leads to
panorama-door-place = Place the door
panorama-door-remove = Remove door
panorama-no-doors = No doors yet.
panorama-door-needs-other = Add another panorama of this base first: a door leads from one hall to another.
panorama-notice-door-placed = The door was placed.
panorama-notice-door-removed = The door was removed.
panorama-door-no-target = Choose the panorama the door leads to.
panorama-too-many-doors = A panorama has at most { $max } doors.
# Follows panorama-hint in the same paragraph, hence the leading space.
panorama-hint-doors = {" "}The arrows lead to the other halls.
csv-upload-missing = The media zip uploaded before can no longer be found (unused uploads are removed after a day; on a site run by several servers it may be on another one). Please choose the zip again.
csv-upload-incomplete = The media zip has not finished uploading ({ $received } of { $length } MB received). Check again once the upload is complete.
import-upload-kept = Media zip already uploaded: { $name }. The next check uses it; to use another, choose a new file.
import-upload-done = Uploaded; checking…
import-upload-too-large = The zip is too large; the limit is { $max } MB.
import-upload-not-zip = This file is not a zip archive.
import-recent = My recent imports
import-recent-hint = Each import's report is kept for 30 days; imports checked but never started, for a day.
import-col-when = Checked
import-col-rows = Rows
import-status-staged = Checked, not started
import-status-running = Importing ({ $done } of { $total } rows)
import-status-stopped = Stopped ({ $created } created)
audit-entity-import = Bulk import
import-queued = Waiting to start: this import is queued and begins when the imports before it are done. This page refreshes every 2 seconds.
import-status-queued = Queued, waiting to start
feedback-heading = Comment
feedback-label = Comment for the student (they will see it)
feedback-hint = The student sees this comment when they come back to the assignment on their device or with their resume code.
feedback-written-at = Last changed { $time }.
feedback-save = Save comment
feedback-return = Save and hand back for changes
feedback-return-hint = Handing back gives the essay back to the student, who changes it and hands it in again.
feedback-returned-hint = The essay is back with the student, waiting to be handed in again.
feedback-notice-saved = Comment saved.
feedback-notice-returned = The essay was handed back to the student for changes.
feedback-too-long = A comment may have at most { $max } characters; this one has { $chars }.
feedback-empty-return = Say what to change when you hand an essay back.
feedback-not-submitted = This essay has not been handed in: the student can still change it, so there is nothing to hand back.
feedback-closed = The assignment closed on { $day }; the student could not change a handed-back essay. Reopen the assignment, or move its last day later under "Change instructions and days", first.
feedback-from-teacher = Your teacher's comment
feedback-returned-student = Your teacher has handed your essay back for changes: change it, then hand it in again.
essay-status-returned = Handed back
essay-status-resubmitted = Handed in again
essay-has-feedback = commented
csv-feedback = Teacher's comment
visit-revise-essay = Change my essay
assignment-reopen = Reopen the assignment
assignment-reopen-explain = This assignment was closed early. Reopened, it takes answers and essays again until its last day ({ $day }) ends.
assignment-notice-reopened = The assignment is open again.
assignment-notice-reopened-past = The early close is undone, but the last day has passed, so the assignment stays closed. To let the class go on, move its last day later under "Change instructions and days".
withdraw-title = Take “{ $title }” off the public site?
withdraw-explain = Once it is “{ $status }”, the public no longer sees it and its public address answers “not found”.
withdraw-in-exhibitions = { $n ->
    [one] It is a stop of a published exhibition and will disappear from it:
   *[other] It is a stop of { $n } published exhibitions and will disappear from them:
}
withdraw-item-assignments = { $n ->
    [one] An assignment that is not over yet lists it for its class; it will drop out of that list.
   *[other] { $n } assignments that are not over yet list it for their classes; it will drop out of those lists.
}
withdraw-exhibition-assignments = { $n ->
    [one] An assignment that is not over yet visits this exhibition: once it is withdrawn, that class's students cannot open it.
   *[other] { $n } assignments that are not over yet visit this exhibition: once it is withdrawn, their students cannot open it.
}
withdraw-yes = Yes, make it “{ $status }”
essays-print = Print all essays
essays-print-count = { $n ->
    [one] 1 essay
   *[other] { $n } essays
}
essays-print-hint = Each essay is on its own page, with room below for a comment. Use your browser's Print to print it or save it as a PDF.
essays-print-none = No student has written anything yet.
overlap-column = Shared text
overlap-exhibition = Exhibit text { $percent }%
overlap-classmate = With { $name } { $percent }%
overlap-hint = “Shared text” is the share of an essay in runs of { $run } or more letters found word for word in the exhibition's text or a classmate's essay (including the essays of your other classes on the same walk this school year). It is a pointer, not a verdict: quoting a label is not copying. Open an essay to see the passages marked.
overlap-heading = Text shared with the exhibition or classmates
overlap-none = No run of { $run } or more letters is shared with the exhibition's text or a classmate's essay.
overlap-legend-exhibition = From the exhibition's text
overlap-legend-classmate = Same as { $name }'s essay
overlap-open-classmate = Open { $name }'s essay
csv-overlap-exhibition = Shared with exhibit text (%)
csv-overlap-classmate = Shared with a classmate (%)
overlap-explain = Marked are runs of { $run } or more letters found word for word in the exhibition's text or a classmate's essay (including your other classes on the same walk). It is a pointer, not a verdict: quoting a label is not copying.
assignment-copy = Set it for another class
assignment-copy-explain = Sets this assignment (what is visited, instructions, essay, days and every question) again for a class, with a new join code. Students' work is not copied.
assignment-copy-class = Set it for
assignment-copy-new-class = Add a class first
assignment-copy-gone = What this assignment visits is no longer public, so it cannot be set again.
assignment-notice-copied = This is the new copy: its questions came with it. Give this class the new join code below.
batch-all = Include the next pages: every item these filters match (at most { $max })
batch-too-many = More than { $max } items match these filters, too many to change at once. Narrow the list first (by base or category, say).
grade-label = Grade
grade-none = No grade
grade-excellent = Excellent
grade-good = Good
grade-pass = Pass
grade-effort = Keep working
grade-shown = Grade: { $grade }
overlap-mark-exhibition = (from the exhibition's text:)
overlap-mark-classmate = (same as { $name }'s essay:)
overlap-mark-end = (end of marked text)
essay-nav = The other students' essays
essay-prev = ← Previous: { $name }
essay-next = Next: { $name } →
assignment-reviewed-count = { $n ->
    [one] , 1 reviewed
   *[other] , { $n } reviewed
}
field-class-students = Students
class-students-hint = How many students the class has; may be left empty. With it, each assignment shows how many have not joined yet, and the banner report can tell what share of students wrote their essay.
class-error-students = Give a whole number from 1 to 150.
class-edit = Edit class
class-edit-errors = Some of the class's details need fixing; see below.
class-edit-save = Save
class-notice-saved = The class was saved.
class-size = { $n ->
    [one] 1 student in the class
   *[other] { $n } students in the class
}
class-size-unknown = Number of students not given
assignment-not-joined = ; { $n } of the { $size } in the class not joined yet
assignment-over-joined = ; { $n } more than the { $size } in the class: check the nicknames
report-students = Students in class
report-visited = Students who visited
report-visit-coverage = Visit coverage
report-wrote = Students with an essay
report-coverage = Essay coverage
report-unsized = Classes without a size
report-unsized-short = { $n ->
    [one] (1 class not counted)
   *[other] ({ $n } classes not counted)
}
report-coverage-explain = Coverage is the students who visited (or handed in an essay) divided by the students in class, against the plan's aim that every student visits one exhibition and writes one essay a year. A class with more visits or essays than students counts as its size.
report-unsized-note = { $n ->
    [one] 1 class has not given its size and is left out of the coverage.
   *[other] { $n } classes have not given their size and are left out of the coverage.
}
dash-popular-items = Most viewed items, last 30 days
dash-popular-exhibitions = Most viewed exhibitions, last 30 days
dash-popular-none = Nobody has opened these pages in the last 30 days.
dash-views-n = { $n ->
    [one] 1 view
   *[other] { $n } views
}
item-views-30 = { $n ->
    [one] 1 public view in the last 30 days
   *[other] { $n } public views in the last 30 days
}
batch-none-match = No item matches these filters now; nothing was changed.
dash-popular-bases = Most viewed bases, last 30 days
report-by-school = By school
report-by-base = By base
report-bases = Bases
report-bases-explain = What each base has online now, how often the public opened its pages in this school year, and how many assignments walked it. Counts only, nothing about any visitor or student.
report-bases-none = There are no bases yet.
report-online-now = Now
report-in-year = This school year
report-items-all = Items
report-items-published = Published
report-bilingual = With a Mongolian title
report-with-media = With photos, audio or video
report-exhibitions = Published exhibitions
report-views = Public page views
report-bases-hint = Views count the times people opened the public pages of the base, its exhibitions and its items; search engines and the API are not counted. An assignment that walks an exhibition counts for the exhibition's base; one that walks a teacher's own list of items counts for every base with an item on it, so these three columns may add up to more than the banner's total, which is under "By school".
filter-lacks = Lacking
filter-lacks-nothing = No filter
gap-mn_title = Mongolian title
gap-media = Photos, audio or video
report-lacking = { $n ->
    [one] { $n } lacks it
   *[other] { $n } lack it
}
dash-without-mongolian = { $n ->
    [one] { $n } published item has no Mongolian title yet
   *[other] { $n } published items have no Mongolian title yet
}
dash-without-mongolian-why = . Exhibition text is to be bilingual in Chinese and Mongolian.
titles-heading = Mongolian titles
titles-back = Back to the items
titles-lead = These items have no Mongolian title yet, 50 to a page. Fill them in beside the Chinese title and summary; an empty row changes nothing. Once saved, an item leaves this page, and its history and the audit log record the change.
titles-saved = { $n ->
    [one] { $n } Mongolian title saved.
   *[other] { $n } Mongolian titles saved.
}
titles-refused = { $n ->
    [one] { $n } row was not saved; what was typed is kept:
   *[other] { $n } rows were not saved; what was typed is kept:
}
titles-none = Every one of these items has a Mongolian title.
titles-save = Save the titles filled in
titles-gone = This item no longer exists.
titles-stale = Someone has just changed this item; check it and save again.
titles-too-long = A title has at most 200 characters.
titles-open-editor = Something else in this record needs fixing first: open its editor.
items-fill-titles = Fill in Mongolian titles
exhibition-labels-no-mongolian = { $n ->
    [one] { $n } item on the path has no Mongolian title; its printed label will be in Chinese only:
   *[other] { $n } items on the path have no Mongolian title; their printed labels will be in Chinese only:
}
items-export = CSV
import-update-hint = To correct or translate many items at once, download them from the item list as a spreadsheet, edit it, and import it here: each row carries its item’s revision and updates that item. Columns you delete stay as they are; rows you add without a revision become new items.
import-plan = { $new } new items, { $updated } items updated, { $unchanged } rows without changes.
import-result-updated = updated
import-result-unchanged = unchanged
csv-bad-revision = “{ $value }” is not a revision number. Leave it as the export wrote it, or blank for a new item.
csv-update-unknown = No item has the accession number { $value }, so this row cannot update one. To make a new item, leave its revision blank.
csv-stale-revision = This item was changed after the sheet was exported (the sheet has revision { $revision }, the item is at { $current }). Importing would undo that change: export again and make your edit there.
csv-slug-change = The slug of an existing item is not changed by an import (it is { $slug }); rename it in the item editor.
csv-item-forbidden = This item belongs to the base “{ $base }”, whose items you may not edit.
csv-media-update = Media of existing items are added in the item editor, not by an import. Empty this cell.
import-done-updates = Import finished: { $created } created, { $updated } updated, { $unchanged } unchanged, { $failed } failed.
items-export-xlsx = Download as spreadsheet (Excel)
xlsx-unreadable = This file is not a readable Excel workbook (.xlsx): { $detail }
xlsx-too-large = This workbook unpacks to more than { $max } MB; split it into smaller files.
xlsx-cell-error = Cell { $cell } holds an Excel error ({ $error }) instead of a value.
xlsx-too-many-rows = This workbook has more than { $max } rows; split it into smaller files.
xlsx-too-many-columns = This workbook has cells beyond column { $max }; the import has far fewer columns.
xlsx-old-format = This is an old-style Excel or WPS file (.xls, .et). Save it as “Excel workbook (.xlsx)” or as “CSV UTF-8” and choose it again.
csv-mongolian-lost = The Mongolian text here has turned into question marks: the file was saved as plain “CSV”, which has no Mongolian letters on Chinese Windows. Save it as “Excel workbook (.xlsx)” or “CSV UTF-8” instead.
admin-translations = Interface translation
translations-heading = The interface in Mongolian
translations-lead = Strings without Mongolian are shown in Chinese on Mongolian pages. Write them here in traditional Mongolian script, beside the Chinese and English: what you save shows on every page at once. Keep variables such as { "{ $n }" } as they are. The download hands your translations to the project, to be reviewed into the next release.
translations-switch-waiting = Once every string on public pages is translated, the public pages offer Mongolian in their language switch; until then, Mongolian pages open only from links with ?lang=mn.
translations-switch-on = Every string on public pages is translated: the language switch offers Mongolian.
translations-progress = { $done } of { $total } strings have Mongolian ({ $site } of them written on this site).
translations-show-todo = Still to translate
translations-show-site = Translated on this site
translations-show-all = All strings
translations-none = Nothing to show here: every string in this list has Mongolian.
translations-download = Download the translations (FTL)
translations-in-release = In this release:
translations-mongolian = Mongolian
translations-by = Written on this site by { $author }.
translations-remove = Remove
translations-save = Save the translations
translations-saved = { $n ->
    [one] One translation saved.
   *[other] { $n } translations saved.
}
translations-for-label = By reader
translations-for-all = All readers
translations-for-todo = { $audience } ({ $n } to go)
audience-visitors = Public pages
audience-students = Students' visit
audience-staff = Staff pages
translation-unknown-key = There is no interface string “{ $key }”.
translation-empty = Write the translation, or leave the box empty to change nothing.
translation-markup = A translation cannot contain “<”: interface strings are plain text.
translation-syntax = This is not a valid message ({ $detail }). Curly braces hold variables such as { "{ $n }" }; write them as in the Chinese.
translation-variables = This translation uses { $unknown }, which the Chinese does not have. Its variables are: { $known }.
translation-too-long = The translation is too long: at most { $max } characters.
translation-not-mongolian = This translation has no Mongolian letters. If it comes from a sheet saved as plain “CSV”, the Mongolian has become question marks: save it as an “Excel Workbook (.xlsx)” or “CSV UTF-8” instead.
translation-sheet-row = Row { $row } of the sheet: { $why }
translation-sheet-columns = The sheet’s first row must name the columns “key” and “mn” (the key and the Mongolian), as the downloaded sheet does.
translation-sheet-twice = “{ $key }” was already filled in on row { $first }; fill in each string once.
translations-sheet-heading = Translate in a spreadsheet (Excel, WPS)
translations-sheet-lead = Download every string of this list (all pages), write the Mongolian in traditional script in the “mn” column, save it as .xlsx and upload it. Empty rows change nothing; rows with a problem are listed here, to be corrected on the page.
translations-sheet-download = Download the sheet (.xlsx)
translations-sheet-file = The filled-in sheet
translations-sheet-upload = Upload and save
translations-sheet-problems = Some of the sheet was not saved:
dash-interface-todo = { $n ->
    [one] One interface string has no Mongolian yet
   *[other] { $n } interface strings have no Mongolian yet
}
dash-interface-todo-visitors = { $n ->
    [one] Start with the one on public pages →
   *[other] Start with the { $n } on public pages →
}
dash-interface-switch = Once they are done, the public pages offer Mongolian.
dash-interface-todo-why = : Mongolian pages show them in Chinese. An administrator who writes Mongolian can translate them here.
exhibition-mn-link = The exhibition in Mongolian
exhibition-mn-heading = The exhibition in Mongolian
exhibition-mn-lead = Every text of this exhibition, beside its Chinese: the title, the introduction and each stop’s narrative. Write them in traditional Mongolian script; a blank box removes that text’s Mongolian. Each change is kept in the exhibition’s history.
exhibition-mn-view = See it in Mongolian
exhibition-mn-stop = Stop { $n }: { $title }
exhibition-mn-no-chinese = (no Chinese text yet)
exhibition-mn-save = Save the Mongolian
exhibition-mn-saved = { $n ->
    [0] Nothing had changed.
    [one] One text saved.
   *[other] { $n } texts saved.
}
exhibition-mn-conflict = Someone changed this exhibition after you opened the page. What you typed is kept below, beside the exhibition as it is now: check it and save again.
import-updates-what = The items it will change, and the columns that change
import-col-changes = Columns changed
