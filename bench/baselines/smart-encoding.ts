/**
 * Twilio Messaging Services "Smart Encoding" replacement table
 * (Unicode character -> GSM-7 replacement string), 270 entries.
 *
 * Source of the full table (verbatim transcription, keys re-escaped as \uXXXX):
 *   TwilioDevEd/message-segment-calculator (Twilio's own public segment calculator),
 *   src/libs/SmartEncodingMap.ts at commit 7a272dfadc012ea60f0f8bec1bb5f927990ce0fa (2024-06-26).
 *   https://github.com/TwilioDevEd/message-segment-calculator/blob/main/src/libs/SmartEncodingMap.ts
 *   Introduced in 79fbec565e23 (2022-09-22, by a twilio.com author):
 *   "feat(SmartEncoding): Add support for Twilio's current SmartEncoding".
 *
 * Official list (only its first ~24 rows were readable in the stored copy; they match this
 * table row for row, in the same order):
 *   https://www.twilio.com/docs/messaging/services/smart-encoding-char-list
 *   (older URL: https://www.twilio.com/docs/sms/services/copilot-smart-encoding-char-list)
 * Behaviour: https://www.twilio.com/blog/copilot-just-got-even-smarter-announcing-smart-encoding-html
 *   "Twilio will automatically translate Unicode characters into GSM7/ASCII characters for you
 *    if there are GSM7/ASCII alternatives and no characters that can't be converted in the
 *    message, e.g. emoji or language based characters."
 *
 * Where sources disagree / oddities (kept as in the calculator; verify before relying on them):
 *  - U+201E DOUBLE LOW-9 QUOTATION MARK -> '"': in the calculator since 2022, but it is not
 *    among the rows of the official docs list seen (which go U+201F then U+275D).
 *  - U+2017 DOUBLE LOW LINE: 2022 Twilio-authored map had "'" (apostrophe); a 2024 community PR
 *    (#41) changed it to '_'. This file follows the current map ('_').
 *  - U+2039 -> '>' and U+203A -> '<' look reversed (U+2039 is the LEFT-pointing one).
 *  - Most Unicode spaces (U+00A0, U+2000, U+2002..U+200A, U+202F, U+205F, U+3000) and several
 *    C1 controls map to TWO spaces; U+2001/U+2028/U+2029 map to ONE space; TAB maps to
 *    SEVEN spaces. Not confirmed against Twilio's live behaviour.
 *  - The calculator applies the table unconditionally; per the Twilio blog above, the live
 *    service only converts when the WHOLE message becomes GSM-7 (otherwise sent unchanged, UCS-2).
 *  - Sinch's "Auto Encoding" table (developers.sinch.com/docs/sms/resources/message-info/auto-encoding)
 *    lists the same characters in the same order as far as it could be read (to U+FE5F), also
 *    without U+201E; it is a copy of this list, not a Twilio source.
 */
export const SMART_ENCODING: Readonly<Record<string, string>> = Object.freeze({
  "\u00AB": '"', // LEFT-POINTING DOUBLE ANGLE QUOTATION MARK
  "\u00BB": '"', // RIGHT-POINTING DOUBLE ANGLE QUOTATION MARK
  "\u201C": '"', // LEFT DOUBLE QUOTATION MARK
  "\u201D": '"', // RIGHT DOUBLE QUOTATION MARK
  "\u02BA": '"', // MODIFIER LETTER DOUBLE PRIME
  "\u02EE": '"', // MODIFIER LETTER DOUBLE APOSTROPHE
  "\u201F": '"', // DOUBLE HIGH-REVERSED-9 QUOTATION MARK
  "\u201E": '"', // DOUBLE LOW-9 QUOTATION MARK
  "\u275D": '"', // HEAVY DOUBLE TURNED COMMA QUOTATION MARK ORNAMENT
  "\u275E": '"', // HEAVY DOUBLE COMMA QUOTATION MARK ORNAMENT
  "\u301D": '"', // REVERSED DOUBLE PRIME QUOTATION MARK
  "\u301E": '"', // DOUBLE PRIME QUOTATION MARK
  "\uFF02": '"', // FULLWIDTH QUOTATION MARK
  "\u2018": "'", // LEFT SINGLE QUOTATION MARK
  "\u2019": "'", // RIGHT SINGLE QUOTATION MARK
  "\u02BB": "'", // MODIFIER LETTER TURNED COMMA
  "\u02C8": "'", // MODIFIER LETTER VERTICAL LINE
  "\u02BC": "'", // MODIFIER LETTER APOSTROPHE
  "\u02BD": "'", // MODIFIER LETTER REVERSED COMMA
  "\u02B9": "'", // MODIFIER LETTER PRIME
  "\u201B": "'", // SINGLE HIGH-REVERSED-9 QUOTATION MARK
  "\uFF07": "'", // FULLWIDTH APOSTROPHE
  "\u00B4": "'", // ACUTE ACCENT
  "\u02CA": "'", // MODIFIER LETTER ACUTE ACCENT
  "\u0060": "'", // GRAVE ACCENT
  "\u02CB": "'", // MODIFIER LETTER GRAVE ACCENT
  "\u275B": "'", // HEAVY SINGLE TURNED COMMA QUOTATION MARK ORNAMENT
  "\u275C": "'", // HEAVY SINGLE COMMA QUOTATION MARK ORNAMENT
  "\u0313": "'", // COMBINING COMMA ABOVE
  "\u0314": "'", // COMBINING REVERSED COMMA ABOVE
  "\uFE10": "'", // PRESENTATION FORM FOR VERTICAL COMMA
  "\uFE11": "'", // PRESENTATION FORM FOR VERTICAL IDEOGRAPHIC COMMA
  "\u00F7": "/", // DIVISION SIGN
  "\u00BC": "1/4", // VULGAR FRACTION ONE QUARTER
  "\u00BD": "1/2", // VULGAR FRACTION ONE HALF
  "\u00BE": "3/4", // VULGAR FRACTION THREE QUARTERS
  "\u29F8": "/", // BIG SOLIDUS
  "\u0337": "/", // COMBINING SHORT SOLIDUS OVERLAY
  "\u0338": "/", // COMBINING LONG SOLIDUS OVERLAY
  "\u2044": "/", // FRACTION SLASH
  "\u2215": "/", // DIVISION SLASH
  "\uFF0F": "/", // FULLWIDTH SOLIDUS
  "\u29F9": "\\", // BIG REVERSE SOLIDUS
  "\u29F5": "\\", // REVERSE SOLIDUS OPERATOR
  "\u20E5": "\\", // COMBINING REVERSE SOLIDUS OVERLAY
  "\uFE68": "\\", // SMALL REVERSE SOLIDUS
  "\uFF3C": "\\", // FULLWIDTH REVERSE SOLIDUS
  "\u0332": "_", // COMBINING LOW LINE
  "\uFF3F": "_", // FULLWIDTH LOW LINE
  "\u20D2": "|", // COMBINING LONG VERTICAL LINE OVERLAY
  "\u20D3": "|", // COMBINING SHORT VERTICAL LINE OVERLAY
  "\u2223": "|", // DIVIDES
  "\uFF5C": "|", // FULLWIDTH VERTICAL LINE
  "\u23B8": "|", // LEFT VERTICAL BOX LINE
  "\u23B9": "|", // RIGHT VERTICAL BOX LINE
  "\u23D0": "|", // VERTICAL LINE EXTENSION
  "\u239C": "|", // LEFT PARENTHESIS EXTENSION
  "\u239F": "|", // RIGHT PARENTHESIS EXTENSION
  "\u23BC": "-", // HORIZONTAL SCAN LINE-7
  "\u23BD": "-", // HORIZONTAL SCAN LINE-9
  "\u2015": "-", // HORIZONTAL BAR
  "\uFE63": "-", // SMALL HYPHEN-MINUS
  "\uFF0D": "-", // FULLWIDTH HYPHEN-MINUS
  "\u2010": "-", // HYPHEN
  "\u2043": "-", // HYPHEN BULLET
  "\uFE6B": "@", // SMALL COMMERCIAL AT
  "\uFF20": "@", // FULLWIDTH COMMERCIAL AT
  "\uFE69": "$", // SMALL DOLLAR SIGN
  "\uFF04": "$", // FULLWIDTH DOLLAR SIGN
  "\u01C3": "!", // LATIN LETTER RETROFLEX CLICK
  "\uFE15": "!", // PRESENTATION FORM FOR VERTICAL EXLAMATION MARK
  "\uFE57": "!", // SMALL EXCLAMATION MARK
  "\uFF01": "!", // FULLWIDTH EXCLAMATION MARK
  "\uFE5F": "#", // SMALL NUMBER SIGN
  "\uFF03": "#", // FULLWIDTH NUMBER SIGN
  "\uFE6A": "%", // SMALL PERCENT SIGN
  "\uFF05": "%", // FULLWIDTH PERCENT SIGN
  "\uFE60": "&", // SMALL AMPERSAND
  "\uFF06": "&", // FULLWIDTH AMPERSAND
  "\u201A": ",", // SINGLE LOW-9 QUOTATION MARK
  "\u0326": ",", // COMBINING COMMA BELOW
  "\uFE50": ",", // SMALL COMMA
  "\uFE51": ",", // SMALL IDEOGRAPHIC COMMA
  "\uFF0C": ",", // FULLWIDTH COMMA
  "\uFF64": ",", // HALFWIDTH IDEOGRAPHIC COMMA
  "\u2768": "(", // MEDIUM LEFT PARENTHESIS ORNAMENT
  "\u276A": "(", // MEDIUM FLATTENED LEFT PARENTHESIS ORNAMENT
  "\uFE59": "(", // SMALL LEFT PARENTHESIS
  "\uFF08": "(", // FULLWIDTH LEFT PARENTHESIS
  "\u27EE": "(", // MATHEMATICAL LEFT FLATTENED PARENTHESIS
  "\u2985": "(", // LEFT WHITE PARENTHESIS
  "\u2769": ")", // MEDIUM RIGHT PARENTHESIS ORNAMENT
  "\u276B": ")", // MEDIUM FLATTENED RIGHT PARENTHESIS ORNAMENT
  "\uFE5A": ")", // SMALL RIGHT PARENTHESIS
  "\uFF09": ")", // FULLWIDTH RIGHT PARENTHESIS
  "\u27EF": ")", // MATHEMATICAL RIGHT FLATTENED PARENTHESIS
  "\u2986": ")", // RIGHT WHITE PARENTHESIS
  "\u204E": "*", // LOW ASTERISK
  "\u2217": "*", // ASTERISK OPERATOR
  "\u229B": "*", // CIRCLED ASTERISK OPERATOR
  "\u2722": "*", // FOUR TEARDROP-SPOKED ASTERISK
  "\u2723": "*", // FOUR BALLOON-SPOKED ASTERISK
  "\u2724": "*", // HEAVY FOUR BALLOON-SPOKED ASTERISK
  "\u2725": "*", // FOUR CLUB-SPOKED ASTERISK
  "\u2731": "*", // HEAVY ASTERISK
  "\u2732": "*", // OPEN CENTRE ASTERISK
  "\u2733": "*", // EIGHT SPOKED ASTERISK
  "\u273A": "*", // SIXTEEN POINTED ASTERISK
  "\u273B": "*", // TEARDROP-SPOKED ASTERISK
  "\u273C": "*", // OPEN CENTRE TEARDROP-SPOKED ASTERISK
  "\u273D": "*", // HEAVY TEARDROP-SPOKED ASTERISK
  "\u2743": "*", // HEAVY TEARDROP-SPOKED PINWHEEL ASTERISK
  "\u2749": "*", // BALLOON-SPOKED ASTERISK
  "\u274A": "*", // EIGHT TEARDROP-SPOKED PROPELLER ASTERISK
  "\u274B": "*", // HEAVY EIGHT TEARDROP-SPOKED PROPELLER ASTERISK
  "\u29C6": "*", // SQUARED ASTERISK
  "\uFE61": "*", // SMALL ASTERISK
  "\uFF0A": "*", // FULLWIDTH ASTERISK
  "\u02D6": "+", // MODIFIER LETTER PLUS SIGN
  "\uFE62": "+", // SMALL PLUS SIGN
  "\uFF0B": "+", // FULLWIDTH PLUS SIGN
  "\u3002": ".", // IDEOGRAPHIC FULL STOP
  "\uFE52": ".", // SMALL FULL STOP
  "\uFF0E": ".", // FULLWIDTH FULL STOP
  "\uFF61": ".", // HALFWIDTH IDEOGRAPHIC FULL STOP
  "\uFF10": "0", // FULLWIDTH DIGIT ZERO
  "\uFF11": "1", // FULLWIDTH DIGIT ONE
  "\uFF12": "2", // FULLWIDTH DIGIT TWO
  "\uFF13": "3", // FULLWIDTH DIGIT THREE
  "\uFF14": "4", // FULLWIDTH DIGIT FOUR
  "\uFF15": "5", // FULLWIDTH DIGIT FIVE
  "\uFF16": "6", // FULLWIDTH DIGIT SIX
  "\uFF17": "7", // FULLWIDTH DIGIT SEVEN
  "\uFF18": "8", // FULLWIDTH DIGIT EIGHT
  "\uFF19": "9", // FULLWIDTH DIGIT NINE
  "\u02D0": ":", // MODIFIER LETTER TRIANGULAR COLON
  "\u02F8": ":", // MODIFIER LETTER RAISED COLON
  "\u2982": ":", // Z NOTATION TYPE COLON
  "\uA789": ":", // MODIFIER LETTER COLON
  "\uFE13": ":", // PRESENTATION FORM FOR VERTICAL COLON
  "\uFF1A": ":", // FULLWIDTH COLON
  "\u204F": ";", // REVERSED SEMICOLON
  "\uFE14": ";", // PRESENTATION FORM FOR VERTICAL SEMICOLON
  "\uFE54": ";", // SMALL SEMICOLON
  "\uFF1B": ";", // FULLWIDTH SEMICOLON
  "\uFE64": "<", // SMALL LESS-THAN SIGN
  "\uFF1C": "<", // FULLWIDTH LESS-THAN SIGN
  "\u0347": "=", // COMBINING EQUALS SIGN BELOW
  "\uA78A": "=", // MODIFIER LETTER SHORT EQUALS SIGN
  "\uFE66": "=", // SMALL EQUALS SIGN
  "\uFF1D": "=", // FULLWIDTH EQUALS SIGN
  "\uFE65": ">", // SMALL GREATER-THAN SIGN
  "\uFF1E": ">", // FULLWIDTH GREATER-THAN SIGN
  "\uFE16": "?", // PRESENTATION FORM FOR VERTICAL QUESTION MARK
  "\uFE56": "?", // SMALL QUESTION MARK
  "\uFF1F": "?", // FULLWIDTH QUESTION MARK
  "\uFF21": "A", // FULLWIDTH LATIN CAPITAL LETTER A
  "\u1D00": "A", // LATIN LETTER SMALL CAPITAL A
  "\uFF22": "B", // FULLWIDTH LATIN CAPITAL LETTER B
  "\u0299": "B", // LATIN LETTER SMALL CAPITAL B
  "\uFF23": "C", // FULLWIDTH LATIN CAPITAL LETTER C
  "\u1D04": "C", // LATIN LETTER SMALL CAPITAL C
  "\uFF24": "D", // FULLWIDTH LATIN CAPITAL LETTER D
  "\u1D05": "D", // LATIN LETTER SMALL CAPITAL D
  "\uFF25": "E", // FULLWIDTH LATIN CAPITAL LETTER E
  "\u1D07": "E", // LATIN LETTER SMALL CAPITAL E
  "\uFF26": "F", // FULLWIDTH LATIN CAPITAL LETTER F
  "\uA730": "F", // LATIN LETTER SMALL CAPITAL F
  "\uFF27": "G", // FULLWIDTH LATIN CAPITAL LETTER G
  "\u0262": "G", // LATIN LETTER SMALL CAPITAL G
  "\uFF28": "H", // FULLWIDTH LATIN CAPITAL LETTER H
  "\u029C": "H", // LATIN LETTER SMALL CAPITAL H
  "\uFF29": "I", // FULLWIDTH LATIN CAPITAL LETTER I
  "\u026A": "I", // LATIN LETTER SMALL CAPITAL I
  "\uFF2A": "J", // FULLWIDTH LATIN CAPITAL LETTER J
  "\u1D0A": "J", // LATIN LETTER SMALL CAPITAL J
  "\uFF2B": "K", // FULLWIDTH LATIN CAPITAL LETTER K
  "\u1D0B": "K", // LATIN LETTER SMALL CAPITAL K
  "\uFF2C": "L", // FULLWIDTH LATIN CAPITAL LETTER L
  "\u029F": "L", // LATIN LETTER SMALL CAPITAL L
  "\uFF2D": "M", // FULLWIDTH LATIN CAPITAL LETTER M
  "\u1D0D": "M", // LATIN LETTER SMALL CAPITAL M
  "\uFF2E": "N", // FULLWIDTH LATIN CAPITAL LETTER N
  "\u0274": "N", // LATIN LETTER SMALL CAPITAL N
  "\uFF2F": "O", // FULLWIDTH LATIN CAPITAL LETTER O
  "\u1D0F": "O", // LATIN LETTER SMALL CAPITAL O
  "\uFF30": "P", // FULLWIDTH LATIN CAPITAL LETTER P
  "\u1D18": "P", // LATIN LETTER SMALL CAPITAL P
  "\uFF31": "Q", // FULLWIDTH LATIN CAPITAL LETTER Q
  "\uFF32": "R", // FULLWIDTH LATIN CAPITAL LETTER R
  "\u0280": "R", // LATIN LETTER SMALL CAPITAL R
  "\uFF33": "S", // FULLWIDTH LATIN CAPITAL LETTER S
  "\uA731": "S", // LATIN LETTER SMALL CAPITAL S
  "\uFF34": "T", // FULLWIDTH LATIN CAPITAL LETTER T
  "\u1D1B": "T", // LATIN LETTER SMALL CAPITAL T
  "\uFF35": "U", // FULLWIDTH LATIN CAPITAL LETTER U
  "\u1D1C": "U", // LATIN LETTER SMALL CAPITAL U
  "\uFF36": "V", // FULLWIDTH LATIN CAPITAL LETTER V
  "\u1D20": "V", // LATIN LETTER SMALL CAPITAL V
  "\uFF37": "W", // FULLWIDTH LATIN CAPITAL LETTER W
  "\u1D21": "W", // LATIN LETTER SMALL CAPITAL W
  "\uFF38": "X", // FULLWIDTH LATIN CAPITAL LETTER X
  "\uFF39": "Y", // FULLWIDTH LATIN CAPITAL LETTER Y
  "\u028F": "Y", // LATIN LETTER SMALL CAPITAL Y
  "\uFF3A": "Z", // FULLWIDTH LATIN CAPITAL LETTER Z
  "\u1D22": "Z", // LATIN LETTER SMALL CAPITAL Z
  "\u02C6": "^", // MODIFIER LETTER CIRCUMFLEX ACCENT
  "\u0302": "^", // COMBINING CIRCUMFLEX ACCENT
  "\uFF3E": "^", // FULLWIDTH CIRCUMFLEX ACCENT
  "\u1DCD": "^", // COMBINING DOUBLE CIRCUMFLEX ABOVE
  "\u2774": "{", // MEDIUM LEFT CURLY BRACKET ORNAMENT
  "\uFE5B": "{", // SMALL LEFT CURLY BRACKET
  "\uFF5B": "{", // FULLWIDTH LEFT CURLY BRACKET
  "\u2775": "}", // MEDIUM RIGHT CURLY BRACKET ORNAMENT
  "\uFE5C": "}", // SMALL RIGHT CURLY BRACKET
  "\uFF5D": "}", // FULLWIDTH RIGHT CURLY BRACKET
  "\uFF3B": "[", // FULLWIDTH LEFT SQUARE BRACKET
  "\uFF3D": "]", // FULLWIDTH RIGHT SQUARE BRACKET
  "\u02DC": "~", // SMALL TILDE
  "\u02F7": "~", // MODIFIER LETTER LOW TILDE
  "\u0303": "~", // COMBINING TILDE
  "\u0330": "~", // COMBINING TILDE BELOW
  "\u0334": "~", // COMBINING TILDE OVERLAY
  "\u223C": "~", // TILDE OPERATOR
  "\uFF5E": "~", // FULLWIDTH TILDE
  "\u00A0": "  ", // NO-BREAK SPACE [2 space(s)]
  "\u2000": "  ", // EN QUAD [2 space(s)]
  "\u2002": "  ", // EN SPACE [2 space(s)]
  "\u2003": "  ", // EM SPACE [2 space(s)]
  "\u2004": "  ", // THREE-PER-EM SPACE [2 space(s)]
  "\u2005": "  ", // FOUR-PER-EM SPACE [2 space(s)]
  "\u2006": "  ", // SIX-PER-EM SPACE [2 space(s)]
  "\u2007": "  ", // FIGURE SPACE [2 space(s)]
  "\u2008": "  ", // PUNCTUATION SPACE [2 space(s)]
  "\u2009": "  ", // THIN SPACE [2 space(s)]
  "\u200A": "  ", // HAIR SPACE [2 space(s)]
  "\u202F": "  ", // NARROW NO-BREAK SPACE [2 space(s)]
  "\u205F": "  ", // MEDIUM MATHEMATICAL SPACE [2 space(s)]
  "\u3000": "  ", // IDEOGRAPHIC SPACE [2 space(s)]
  "\u008D": "  ", // REVERSE LINE FEED (standard LF looks like \n, this looks like a space) [2 space(s)]
  "\u009F": "  ", // <control> [2 space(s)]
  "\u0080": "  ", // C1 CONTROL CODES [2 space(s)]
  "\u0090": "  ", // DEVICE CONTROL STRING [2 space(s)]
  "\u009B": "  ", // CONTROL SEQUENCE INTRODUCER [2 space(s)]
  "\u0010": "", // ESCAPE, DATA LINK (not visible) [deleted]
  "\u0009": "       ", // TAB (7 spaces based on print statement in Python interpreter) [7 space(s)]
  "\u0000": "", // NULL [deleted]
  "\u0003": "", // END OF TEXT [deleted]
  "\u0004": "", // END OF TRANSMISSION [deleted]
  "\u0017": "", // END OF TRANSMISSION BLOCK [deleted]
  "\u0019": "", // END OF MEDIUM [deleted]
  "\u0011": "", // DEVICE CONTROL ONE [deleted]
  "\u0012": "", // DEVICE CONTROL TWO [deleted]
  "\u0013": "", // DEVICE CONTROL THREE [deleted]
  "\u0014": "", // DEVICE CONTROL FOUR [deleted]
  "\u2060": "", // WORD JOINER [deleted]
  "\u2017": "_", // DOUBLE LOW LINE
  "\u2014": "-", // EM DASH
  "\u2013": "-", // EN DASH
  "\u2039": ">", // Single left-pointing angle quotation mark
  "\u203A": "<", // Single right-pointing angle quotation mark
  "\u203C": "!!", // Double exclamation mark
  "\u2028": " ", // Whitespace: Line Separator [1 space(s)]
  "\u2029": " ", // Whitespace: Paragraph Separator [1 space(s)]
  "\u2026": "...", // HORIZONTAL ELLIPSIS (calculator's comment mislabels it)
  "\u2001": " ", // EM QUAD (calculator's comment mislabels it) [1 space(s)]
  "\u200B": "", // ZERO WIDTH SPACE [deleted]
  "\u3001": ",", // IDEOGRAPHIC COMMA
  "\uFEFF": "", // ZERO WIDTH NO-BREAK SPACE [deleted]
  "\u2022": "-", // Bullet
});
