"""CKAN core strings that core's Japanese catalogue leaves untranslated or translates poorly.

Listed here so that `make i18n` extracts them into the extension's own catalogue (i18n/), which
CKAN merges over core's: the extension's translation wins. Never imported at run time.
"""


def N_(text: str) -> str:  # Babel's marker for "extract, do not translate here"
    return text


CORE_STRINGS = (
    N_("About"),
    N_("About {0}"),  # the footer's link to the About page
    N_("Skip to main content"),
    N_("Username or Email"),
    N_("Follow"),
    N_("Unfollow"),
    N_("Previous"),
    N_("Next: Add Data"),
    N_("Missing value"),
    N_("Active"),
    N_("Deleted"),
    N_("Draft"),
)
