"""The built-in translate languages v2 seeds into ``translate_language`` (upstream
``BUILTIN_TRANSLATE_LANGUAGES``): ``(lang_code, value, emoji)``.

TranslateMigrator seeds them after the user's custom languages (a custom row wins on a shared code), so
that history rows can keep their language references.
"""

from __future__ import annotations

BUILTIN_TRANSLATE_LANGUAGES: tuple[tuple[str, str, str], ...] = (
    ("en-us", "English", "🇺🇸"),
    ("zh-cn", "Chinese (Simplified)", "🇨🇳"),
    ("zh-tw", "Chinese (Traditional)", "🇭🇰"),
    ("ja-jp", "Japanese", "🇯🇵"),
    ("ko-kr", "Korean", "🇰🇷"),
    ("fr-fr", "French", "🇫🇷"),
    ("de-de", "German", "🇩🇪"),
    ("it-it", "Italian", "🇮🇹"),
    ("es-es", "Spanish", "🇪🇸"),
    ("pt-pt", "Portuguese", "🇵🇹"),
    ("ru-ru", "Russian", "🇷🇺"),
    ("pl-pl", "Polish", "🇵🇱"),
    ("ar-sa", "Arabic", "🇸🇦"),
    ("tr-tr", "Turkish", "🇹🇷"),
    ("th-th", "Thai", "🇹🇭"),
    ("vi-vn", "Vietnamese", "🇻🇳"),
    ("id-id", "Indonesian", "🇮🇩"),
    ("ur-pk", "Urdu", "🇵🇰"),
    ("ms-my", "Malay", "🇲🇾"),
    ("uk-ua", "Ukrainian", "🇺🇦"),
)
