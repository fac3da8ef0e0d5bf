"""Word lists and compiled patterns the extractor matches, Chinese and English together.

All patterns run on text folded by :func:`txaudit.extract.text.normalise` (simplified
script, half-width, ASCII lower case), so one pattern covers 腎/肾 and Kidney/kidney.
They are compiled once at import; the extractor itself only calls them.
"""

from __future__ import annotations

import re

from txaudit.extract.numbers import ENGLISH_NUMBER_WORDS

# --- the keyword gate --------------------------------------------------------------
#: a sentence must contain one of these before any number is parsed
TRANSPLANT = re.compile(r"移植|transplant|graft")
BED_GATE = re.compile(r"床|beds?\b")
#: the same gate on text as given, lower-cased (``str.lower``: any script, any case):
#: transplant or organ words; a superset of what the normalised checks accept, so it
#: only ever saves work. (IGNORECASE would make the search several times slower.)
RAW_GATE = re.compile(
    r"移植|transplant|graft|ｔｒａｎｓｐｌａｎｔ|肾|腎|肝|心脏|心臟|肺|胰|小肠|小腸|供体|供體|"
    r"kidney|liver|heart|lung|renal|hepatic|cardiac|pancrea|intestin|bowel|islet"
)
RAW_BED_GATE = re.compile(r"床|bed")
#: transplants that are not solid organs: masked out before the gate and the matching
NON_ORGAN_TRANSPLANT = re.compile(
    r"角膜移植|骨髓移植|造血干细胞移植|干细胞移植|毛发移植|头发移植|皮肤移植|脂肪移植|骨移植|植发|"
    r"corneal? transplant\w*|cornea\w* graft\w*|bone[- ]marrow transplant\w*|"
    r"stem[- ]cell transplant\w*|"
    r"hair transplant\w*|skin graft\w*|fat graft\w*|bone graft\w*|fecal transplant\w*"
)

# --- numbers -----------------------------------------------------------------------
_ARABIC = (
    r"(?<![\d.,#])(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?: \d{3})+(?![\d,])|\d+)(?:\.\d+)?"
    r"(?:\s*(?:thousand|million|billion)\b|[十百千万亿]+)?"
)
_CN_CHARS = "零〇一二两三四五六七八九十百千万亿廿卅壹贰叁肆伍柒捌玖拾佰仟"
_CN = rf"[{_CN_CHARS}]+(?:[余多来][十百千万亿]+)?|半(?=个?月|年)"
_SEVERAL_CN = r"(?:数|几|上)[十百千万]+(?:[余多][万亿])?"
_EN_WORD = "|".join(ENGLISH_NUMBER_WORDS)
_EN = (
    rf"\b(?:(?:a|an)\s+(?:dozen|hundred|thousand|million)|a(?=\s+(?:day|week|month|year)\b)|"
    rf"(?:{_EN_WORD}))"
    rf"(?:[\s-]+(?:and\s+)?(?:{_EN_WORD}))*\b"
)
_SEVERAL_EN = (
    r"\b(?:several|a few)\s+(?:hundred|thousand)\b|\b(?:hundreds|thousands)\s+of\b"
)
_NUM = rf"(?:百分之)?(?:{_ARABIC}|{_SEVERAL_CN}|{_CN}|{_SEVERAL_EN}|{_EN})"
_RANGE_SEP = r"\s*(?:至|到|~|-|to)\s*"
#: one written quantity, possibly a range; units are matched separately
# Each big pattern below starts with a lookahead on the characters it can begin with:
# Python's regex engine then rejects most positions at once (2-3 times faster).
NUMBER = re.compile(
    r"(?=[\d零〇一二两三四五六七八九十百千万亿廿卅壹贰叁肆伍柒捌玖拾佰仟数几上半]|\b[abdefhmnostz])"
    rf"(?:between\s+(?P<cur>(?:rmb|cny|人民币|¥)\s*)?(?P<b1>{_NUM})\s*%?\s+and\s+(?P<b2>{_NUM}))"
    rf"|(?P<n1>{_NUM})(?:\s*%)?(?:(?P<sep>{_RANGE_SEP})(?P<n2>{_NUM}))?"
)

# --- units: matched right after a number (Chinese classifiers, English nouns) -------
_EN_MODIFIER = (
    r"(?:[\s-]+(?!(?:and|or|of|in|to|for|at|the|a|an|on|by|with|from|since|per|each|every|"
    r"were|was|are|is|have|has|had|be|been|this|that|its|their|our|his|her|"
    r"years?|days?|weeks?|months?)\b)[a-z][a-z'-]*){0,4}?"
)
_EN_UNIT_WORDS = (
    r"transplant(?:ation)?s?|operations?|surger(?:y|ies)|procedures?|cases?|grafts|"
    r"beds?|days?|weeks?|months?|years?|yuan|rmb|renminbi|cny|"
    r"percent|per cent|surgeons?|doctors?|physicians?|specialists?|professors?|experts?|"
    r"nurses?|staff|employees|"
    r"personnel|workers|people|persons?|members|patients?|inpatients?|recipients?|"
    r"operating[\s-]+(?:rooms?|theat(?:re|er)s?|suites?)|theat(?:re|er)s?|dollars?|usd|euros?|"
    r"admissions|kidneys|livers|hearts|lungs"
)
# a unit noun followed by another noun is a modifier ("transplant surgeons", "bed count")
_NOT_HEAD = (
    rf"(?![\s-]+(?:{_EN_UNIT_WORDS}|cent(?:er|re)s?|wards?|units?|teams?|departments?|"
    r"programs?|programmes?|icu|clinics?|volume|number|count|rooms?|buildings?|services?|"
    r"technology|techniques?|surgery|medicine|research|institutes?|hospitals?)\b)"
)
#: "14 chief and associate chief physicians": persons may take joined modifiers
EN_PERSON_UNIT = re.compile(
    r"(?P<mods>(?:[\s-]+[a-z][a-z'-]*){1,5}?)[\s-]+"
    r"(?P<unit>surgeons|doctors|physicians|specialists|professors|experts|nurses|staff)\b"
)
EN_UNIT = re.compile(
    rf"(?P<mods>{_EN_MODIFIER})(?:[\s-]+|(?<=\d)(?=[a-z]))(?P<unit>{_EN_UNIT_WORDS})\b{_NOT_HEAD}"
)
#: "10-bed ward", "a 30-day stay": the hyphenated unit is always the number's own
EN_HYPHEN_UNIT = re.compile(r"-(?P<unit>beds?|days?|weeks?|months?)\b")
ZH_UNIT = re.compile(
    r"\s*(?P<unit>例次|例|台次|台|次|张床位|张床|张|床位|床|个多月|个半月|个月|个星期|星期|周|"
    r"天|日|年|万元|亿元|美元|港元|港币|欧元|元|名|人次|人|位|个手术间|个手术室|间|个)"
)
PERCENT = re.compile(r"\s*(?:%|percent\b|per cent\b)")
POST_QUALIFIER = re.compile(
    r"\s*(?P<q>左右|以上|以内|之内|内|上下|余|多|plus\b|\+|or more\b|or so\b)"
)

# --- unit categories ----------------------------------------------------------------
UNIT_CATEGORY: dict[str, str] = {}
for _words, _cat in (
    ("例次 例 台次 台 次 transplant transplants transplantation transplantations operation "
     "operations surgery surgeries procedure procedures case cases graft grafts", "ops"),
    ("张床位 张床 张 床位 床 bed beds", "beds"),
    ("个多月 个半月 个月 个星期 星期 周 天 日 年 day days week weeks month months year years",
     "time"),
    ("万元 亿元 元 yuan rmb renminbi cny", "money"),
    ("美元 港元 港币 欧元 dollar dollars usd euro euros", "foreign_money"),
    ("名 人 位 people person persons members", "persons"),
    ("surgeon surgeons doctor doctors physician physicians specialist specialists professor "
     "professors expert experts", "surgeons"),
    ("nurse nurses staff employees personnel workers", "staff"),
    ("patient patients inpatient inpatients recipient recipients", "patients"),
    ("人次", "visits"),
    ("admissions", "admissions"),
    # "transplanted 180 livers": organs counted after a transplant verb
    ("kidneys livers hearts lungs", "organs"),
    ("个手术间 个手术室", "rooms"),
    ("间 个", "room_count"),
):
    for _w in _words.split():
        UNIT_CATEGORY[_w] = _cat

#: days per time unit (a month is taken as 30 days, a year as 365)
DAYS_PER_UNIT: dict[str, int] = {
    "天": 1, "日": 1, "day": 1, "days": 1,
    "周": 7, "星期": 7, "个星期": 7, "week": 7, "weeks": 7,
    "个月": 30, "个多月": 30, "个半月": 30, "month": 30, "months": 30, "月": 30,
    "年": 365, "year": 365, "years": 365,
}  # fmt: skip

#: money written before the number: 人民币 30万, RMB 150,000, ¥8000
MONEY_BEFORE = re.compile(r"(?:人民币|rmb|cny|¥|￥)\s*$")
FOREIGN_MONEY_BEFORE = re.compile(
    r"(?:us\$|usd|\$|€|eur|hk\$|nt\$|twd|美元|港币|新台币|台币|日元|欧元)\s*$"
)
#: nouns that give a unit-less number its meaning when they come shortly before it
#: what may follow a bare number that borrows its meaning from an earlier noun
ANCHOR_FOLLOW = re.compile(
    r"\s*(?:$|[,.;:，。；：、()（）#]|(?:by|in|of|and|at|for|since|last|this|to|so|as|during|until|"
    r"including|among|each|per|a|an|the|or|are|is|were|was|have|has)\b)"
)
ANCHOR = re.compile(
    r"(?P<ops>transplants|transplant(?![\s-]+(?:wards?|cent|surgeons?|staff|teams?|department|"
    r"units?|beds?|icu|patients?|recipients?))|operations|例数|台数|手术量|移植量|"
    r"transplant (?:volume|number|count))"
    r"|(?P<beds>beds|床位数?)|(?P<staff>staff|personnel|人员)|(?P<surgeons>surgeons|医师)"
)

# --- context keywords (searched near the number) -------------------------------------
ORGAN_TERMS = re.compile(
    r"(?=[肾肝心肺胰小]|\b[krnlhcpis])"
    r"(?:(?P<kidney>肾脏|肾|kidneys?|renal|nephr\w*)"
    r"|(?P<liver>肝脏|肝(?!胆外科)|livers?|hepatic)"
    r"|(?P<heart>心脏|心(?=移植|肺)|hearts?|cardiac)"
    r"|(?P<lung>肺脏|肺|lungs?|pulmonary)"
    r"|(?P<pancreas>胰腺|胰岛|胰|pancreas\w*|pancreatic|islet)"
    r"|(?P<intestine>小肠|intestin\w*|small[- ]bowel))"
)
_ORG = r"(?:肾脏|肾|肝脏|肝|心脏|心|肺|胰腺|胰|小肠)"
_ORG_EN = r"(?:kidney|renal|liver|heart|lung|pancreas|pancreatic|intestine|intestinal)"
COMBINED = re.compile(
    rf"(?P<zh>{_ORG}{{2}})联合|(?P<zh2>{_ORG}[、和与及]{_ORG})联合|"
    rf"(?P<en>{_ORG_EN}[-/]{_ORG_EN})(?:\s+transplant|\s+combined)|"
    rf"(?:combined|simultaneous)\s+(?P<en2>{_ORG_EN}(?:[-/]|\s+and\s+){_ORG_EN})"
)
ORGAN_LIST = re.compile(
    rf"{_ORG}(?:[、和与及/]{_ORG})+(?:移植|脏)|"
    rf"{_ORG_EN}(?:,\s*{_ORG_EN})*,?\s+(?:and|or|&)\s+{_ORG_EN}\s+transplant"
)

CLAUSE_BREAK = re.compile(r"[，,；;：:]|\band\b(?=\s+(?:in|has|have|is|are|performs?|carr))")
DEPARTMENT = re.compile(
    r"科|病房|病区|中心|医院|全院|我院|本院|该院|ward|department|dept|unit|cent(?:er|re)|"
    r"hospital|icu|ccu|clinic"
)
WHOLE_HOSPITAL = re.compile(
    r"全院|医院|我院|本院|该院|the hospital|our hospital|hospital's|"
    r"hospital-wide|whole hospital"
)

PEAK_DAY = re.compile(
    r"一天|一日|单日|当天|同一天|一夜|一个晚上|一晚|晚上|24小时|一昼夜|"
    r"(?:in|on|during|within) (?:a|one) (?:single )?day|(?:a|one) single day|a day\b|per day|"
    r"one night|single night|"
    r"overnight|within 24 hours|same day"
)
#: operations run at the same time: a capacity feat (vocabulary: concurrent_operations)
# "simultaneous pancreas-kidney transplant" (SPK) names a procedure, not a feat
CONCURRENT = re.compile(
    r"同时|at the same time|"
    r"simultaneous(?:ly)?(?![\s-]+(?:pancrea\w*|kidney|liver|heart|lung)(?:[\s/-]+|\s+and\s+)"
    r"(?:pancrea|kidney|liver|heart|lung))|"
    r"concurrent\w*|in parallel"
)
#: "共计", "in total": a sum, cumulative unless a single year is given ("2011年度…共计23例")
TOTAL = re.compile(r"总数|总计|共计|in total|a total of|altogether")
CUMULATIVE = re.compile(
    r"累计|至今|迄今|以来|年来|截至|截止|先后|目前|今年已|"
    r"\bsince\b|to date|so far|cumulative|as of|"
    r"by the end of|over the past|in the past|until now|up to now|thus far"
)
ANNUAL = re.compile(
    r"每年|年均|全年|年度|(?<![\d#来近今去前十])年(?:完成|开展|实施|手术|收治|.{0,4}量)|"
    r"连续[\d一二两三四五六七八九十]+年|consecutive years?|years? in a row|"
    r"annual|annually|per year|a year\b|each year|every year|yearly|per annum"
)
ADMISSION = re.compile(r"收治|收住|接收|入院|admit\w*|admission\w*")
#: words saying patients are present at one time (census), not admitted over a year
CENSUS = re.compile(
    r"每天|常年|在院|保持|同时|日均|usually|typically|at any time|at a time|maintain\w*|any given|"
    r"recovering|on the wards?\b|in the wards?\b|on any (?:given )?day|daily"
)
#: nouns that suggest a census only when nothing speaks of admitting
CENSUS_NOUN = re.compile(r"住院患者|住院病人|inpatients|hospitali[sz]ed")
PERFORM = re.compile(
    r"实施|完成|开展|进行|做|perform\w*|carried out|done|undergone|receiv\w*|operat\w* on"
)
OCCUPANCY = re.compile(r"使用率|占用率|利用率|周转率|occupancy|utili[sz]ation|usage|full")
WAITING = re.compile(
    r"等待|等候|等到|找到|获得|匹配|配型|供体|肾源|肝源|供肝|供肾|"
    r"\bwait\w*|get a|obtain|find|match\w*|receiv\w*"
)
LENGTH_OF_STAY = re.compile(
    r"住院日|住院天数|住院时间|平均住院|住院周期|住院(?=[\d一二两三四五六七八九十约近])|出院|"
    r"length of stay|hospital stay|stays? in hospital|leaves? (?:the )?hospital|discharged|"
    r"(?:stay|kept|remain|spend|spent)\w*\s+(?:\w+\s+){0,2}(?:in|on)\s+(?:the\s+)?(?:hospital|wards?)"
)
PRICE = re.compile(r"费用|价格|收费|花费|价钱|手术费|\bcosts?\b|price|\bfees?\b|charge|\bpay")
REVENUE = re.compile(r"收入|营收|创收|产值|收益|revenue|income|earn\w*")
#: funding counts as state funding only when a public body is named
STATE = re.compile(
    r"国家|省|市|政府|卫生部|卫生厅|卫生局|财政|科技部|教育部|军队|总后|ministry|government|state|"
    r"provincial|national|municipal|public"
)
FUNDING = re.compile(
    r"拨款|资助|经费|专项|扶持|补助|投资|funding|\bfunds?\b|grant\w*|award\w*|allocat\w*|"
    r"subsid\w*|invest\w*"
)
OPERATING_ROOM = re.compile(r"手术室|手术间|operating|theat(?:re|er)")
OUTPATIENT = re.compile(r"门诊|体检|随访|outpatient|visits|follow-up|clinic visits")
SURGEON_NOUN = re.compile(r"医师|医生|主刀|专家|教授|surgeons?|doctors?|physicians?")
STAFF_NOUN = re.compile(r"护士|护理|医护|人员|员工|职工|技师|staff|nurses?|personnel|employees")
PATIENT_NOUN = re.compile(r"患者|病人|病员|受者|patients?|inpatients?|recipients?")
AND_NURSES = re.compile(r"^\s*(?:and|&|和)\s*(?:nurses|other staff|护士)")

# --- masking: dates, years, phone numbers -------------------------------------------
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_CN_YEAR = r"[〇零一二三四五六七八九]{4}"
FULL_DATE = re.compile(
    rf"(?:\d{{4}}|{_CN_YEAR})年\d{{1,2}}月\d{{1,2}}[日号]|\d{{1,2}}月\d{{1,2}}[日号]|"
    rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d{{2}}\b|"
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\s+(?:19|20)\d{{2}}\b|"
    r"\b(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}\b"
)
MONTH_YEAR = re.compile(
    rf"(?P<y>\d{{4}}|{_CN_YEAR})年(?P<m>\d{{1,2}})月(?:份)?|\b(?P<mn>{_MONTH})\s+(?P<y2>(?:19|20)\d{{2}})\b"
)
YEAR_ZH = re.compile(rf"(?P<y>(?:19|20)\d{{2}}|{_CN_YEAR})\s*年(?:度)?")
YEAR_EN = re.compile(
    # the lookahead first: at most positions it fails at once, before the lookbehinds
    r"(?=(?:19|20)\d{2}\b)(?:(?<=\bin )|(?<=\bsince )|(?<=\bfrom )|(?<=\bof )|(?<=\bby )|"
    r"(?<=\buntil )|(?<=\bto )|"
    r"(?<=\bbetween )|(?<=\band )|(?<=\bduring )|(?<=\byear )|(?<=\bend )|(?<=\bsince early )|"
    r"(?<=\bthrough )|(?<=\())(?:19|20)\d{2}\b|"
    r"\b(?:19|20)\d{2}(?=\s+(?:figures|data|statistics|totals?)\b)|"
    r"\b(?:19|20)\d{2}(?=\s*(?:[,.;)]|$))|^(?:19|20)\d{2}\b"
)
PHONE = re.compile(
    r"(?:电话|传真|热线|tel|phone|fax|call|hotline)[^\d+]{0,12}(?P<p>\+?[\d][\d\s()+-]{5,}\d)|"
    r"\(?\b0\d{2,3}\)?[-\s]\d{3,4}[-\s]?\d{4}\b|\b1[3-9]\d{9}\b|\+\d{1,3}[\s-]\d[\d\s-]{6,}\d"
)
ADDRESS = re.compile(
    r"邮编\s*\d{6}|\d+号|\b\d{6}\b|第[\d一二三四五六七八九十]+|\d+(?:st|nd|rd|th)\b|no\.\s*\d+"
)
#: "其中肝移植约占三分之二": what follows speaks of a part, not of the number before
SUBSET = re.compile(r"[，,；;]\s*(?:其中|of which|of these|including|among them)")
#: a day of a month written without its year ("on the night of March 3", "14 May");
#: unlike a full date it does not make the sentence a one-day feat. "may" as a verb
#: is left alone when the day comes first.
MONTH_DAY = re.compile(
    rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b|"
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?!may\b){_MONTH}(?![a-z])"
)
#: ages ("at age 31", "aged 18 to 65", "62岁") and fractions (三分之二) count nothing
AGE = re.compile(
    r"\b(?:aged?|at age|ages)\s+\d{1,3}(?:\s*(?:to|-|and)\s*\d{1,3})?\b|"
    r"\b\d{1,3}[\s-]years?[\s-]old\b|\d{1,3}\s*周?岁(?:以[上下])?"
)
FRACTION = re.compile(r"[\d一二两三四五六七八九十]+分之[\d一二两三四五六七八九十]+")
#: a recruitment advert counts posts to fill, not the people a unit has
RECRUIT = re.compile(
    r"招聘|诚聘|急聘|招收|岗位|hiring|recruit\w*|\bseeks?\b|vacanc\w*|applicants?|job posting"
)
#: a year that starts something (founding, the first transplant) is no claim's year;
#: for a cumulative count it is the since-year
FOUNDING = re.compile(
    r"成立|建院|始建|创建|建于|创办|组建|设立|首例|开展首|开始|founded|established|establishment|"
    r"opened|built|set up|launched|began|begun|start\w*|first (?:\w+ )?transplant"
)

# --- periods --------------------------------------------------------------------------
SINCE_ZH = re.compile(
    rf"(?:自|从)?(?P<y>(?:19|20)\d{{2}}|{_CN_YEAR})\s*年(?:[^，,。；]{{0,16}}?)?(?:以来|至今|起)"
)
SINCE_EN = re.compile(
    # "since 1998", "since its establishment in 2003", "since opening its program in 1999"
    r"\bsince\s+(?:(?:[a-z']+\s+){1,5}?in\s+)?(?:early\s+|late\s+)?(?P<y>(?:19|20)\d{2})"
)
YEAR_RANGE = re.compile(
    r"(?P<a>(?:19|20)\d{2})\s*年?\s*(?:至|到|-|~|to)\s*(?P<b>(?:19|20)\d{2})\s*年?|"
    r"(?:from|between)\s+(?P<a2>(?:19|20)\d{2})\s+(?:to|until|through|and)\s+"
    r"(?P<b2>(?:19|20)\d{2})"
)
AS_OF = re.compile(
    rf"(?:截至|截止|到)(?:到)?\s*(?P<y>(?:19|20)\d{{2}})\s*年"
    rf"(?:(?P<m>\d{{1,2}})月(?:(?P<d>\d{{1,2}})[日号])?|(?P<end>底|末))?|"
    rf"(?:by the end of|as of|as at|by|until)\s+(?:(?P<mn>{_MONTH})\s+"
    rf"(?:(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+)?)?(?P<y2>(?:19|20)\d{{2}})"
)
#: a full date introduced as an as-of date is not the day of a feat
AS_OF_DATE = re.compile(r"(?:截至|截止|到|as of|as at|by|until)\s*$")
RELATIVE_AS_OF = re.compile(
    r"(?:截至|截止|到)(?P<zh>去年|前年|今年)(?:年)?(?:底|末)|"
    r"by the end of (?P<en>last year|the previous year|this year|the year before last)"
)
TO_DATE = re.compile(
    r"至今|迄今|目前|截至目前|截止目前|to date|so far|until now|thus far|up to now"
)
RELATIVE_YEAR = re.compile(
    r"(?P<before_last>前年|the year before last)"
    r"|(?P<last>去年|last year|the previous year|past year)"
    r"|(?P<this>今年|this year)"
)
THIS_YEAR_SINCE = re.compile(
    r"今年以来|今年已|今年[^。；;]{0,12}已|今年(?:前|上半年|1至|1-|一至)|"
    r"this year so far|so far this year|"
    r"(?:first|past) (?:\w+ )?months of (?:this|the) year|first half of (?:this|the) year|"
    r"from january[^.;]{0,20}this year"
)

MONTH_NUMBER = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip

#: a sentence that continues the previous one's subject: "The center has ...", "本科室..."
ANAPHOR_UNIT = re.compile(
    r"^(?:the\s+|its\s+|our\s+|this\s+)?(?:center|centre|department|dept|unit|ward|team|division)\b|"
    r"^(?:本|该|我)?(?:中心|科室|本科|科|病区|病房|团队)|"
    # a table line ("床位数：60张", "Beds: 60") on a page about a transplant unit
    r"^[^：:，,。.]{1,16}[：:]"
)
CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[a-z]")
