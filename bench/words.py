"""Word pools for the synthetic articles, one per script the bundled DejaVu fonts cover.

Plain news vocabulary; every character is in DejaVu Serif (all four styles), so the
floor's PDF can set the text with the same fonts pressrun embeds, without fallback.
"""

from __future__ import annotations

# language code -> (words, headline words)
POOLS: dict[str, list[str]] = {
    "en": (
        "the government announced on Monday that a new agreement on regional trade and transport would "
        "be signed next month after talks between ministers officials said the deal covers roads railways "
        "energy and customs while critics warned that the plan lacks funding and a clear timetable for "
        "reconstruction villages families returned border markets prices water electricity schools "
        "hospitals parliament opposition budget reform court election council mayor farmers workers"
    ).split(),
    "az": (
        "hökumət bazar ertəsi regional ticarət və nəqliyyat haqqında yeni saziş imzalanacağını elan etdi "
        "nazirlər arasında danışıqlardan sonra rəsmilər bildirdi ki saziş yolları dəmir yollarını enerjini "
        "və gömrüyü əhatə edir İqtisadiyyat İnvestisiya ağır şəhər kənd ailələr qayıdış sərhəd qiymətlər "
        "su işıq məktəb xəstəxana parlament müxalifət büdcə islahat məhkəmə seçki şura bələdiyyə fermerlər"
    ).split(),
    "ru": (
        "правительство объявило в понедельник что новое соглашение о региональной торговле и транспорте "
        "будет подписано в следующем месяце после переговоров министров чиновники сообщили что сделка "
        "охватывает дороги железные энергетику таможню критики предупредили план финансирования ёлка "
        "сёла семьи граница рынки цены вода электричество школы больницы парламент бюджет реформа суд выборы"
    ).split(),
    "hy": (
        "կառավարությունը երկուշաբթի հայտարարեց որ տարածաշրջանային առևտրի և տրանսպորտի մասին նոր "
        "համաձայնագիր կստորագրվի հաջորդ ամիս նախարարների բանակցություններից հետո պաշտոնյաները նշեցին "
        "ճանապարհներ երկաթուղի էներգետիկա մաքսային գյուղեր ընտանիքներ սահման շուկաներ գներ ջուր "
        "դպրոցներ հիվանդանոցներ խորհրդարան բյուջե բարեփոխում դատարան ընտրություններ քաղաքապետ"
    ).split(),
    "ka": (
        "მთავრობამ ორშაბათს გამოაცხადა რომ რეგიონული ვაჭრობისა და ტრანსპორტის შესახებ ახალი შეთანხმება "
        "მომავალ თვეში გაფორმდება მინისტრებს შორის მოლაპარაკებების შემდეგ ოფიციალურმა პირებმა განაცხადეს "
        "გზები რკინიგზა ენერგეტიკა საბაჟო სოფლები ოჯახები საზღვარი ბაზრები ფასები წყალი სკოლები "
        "საავადმყოფოები პარლამენტი ბიუჯეტი რეფორმა სასამართლო არჩევნები საბჭო მერი ფერმერები"
    ).split(),
    "el": (
        "η κυβέρνηση ανακοίνωσε τη Δευτέρα ότι μια νέα συμφωνία για το περιφερειακό εμπόριο και τις "
        "μεταφορές θα υπογραφεί τον επόμενο μήνα μετά από συνομιλίες μεταξύ υπουργών αξιωματούχοι δήλωσαν "
        "δρόμοι σιδηρόδρομοι ενέργεια τελωνεία χωριά οικογένειες σύνορα αγορές τιμές νερό σχολεία "
        "νοσοκομεία κοινοβούλιο προϋπολογισμός μεταρρύθμιση δικαστήριο εκλογές δήμαρχος αγρότες"
    ).split(),
}

SECTIONS = ["World", "Politics", "Economy", "Energy", "Society", "Culture"]
TAGS = [
    "Armenia", "Azerbaijan", "Georgia", "Russia", "Turkey", "Greece", "Trade", "Transport", "Energy",
    "Elections", "Courts", "Budget", "Health", "Education", "Borders", "Water", "Farming", "Reform",
]
BYLINES = ["Aqsa Younas Rana", "Leyla Məmmədova", "Аня Петрова", "Անի Սարգսյան", "ნინო ბერიძე", "Νίκος Παππάς"]

# Issue 14: the world's scripts, for the benchmark's per-script PDF rows (not in the six-script articles above,
# whose numbers stay comparable from run to run). The same news vocabulary; Chinese and Japanese are written
# without spaces (``SPACELESS``), and each language ends its sentences with its own full stop (``FULL_STOP``).
WORLD_POOLS: dict[str, list[str]] = {
    "ar": (
        "أعلنت الحكومة يوم الاثنين أن اتفاقا جديدا بشأن التجارة والنقل الإقليمي سيوقع الشهر المقبل بعد محادثات بين "
        "الوزراء وقال المسؤولون إن الاتفاق يشمل الطرق والسكك الحديدية والطاقة والجمارك بينما حذر المنتقدون من أن "
        "الخطة تفتقر إلى التمويل وجدول زمني واضح لإعادة الإعمار القرى العائلات الحدود الأسواق الأسعار المياه الكهرباء "
        "المدارس المستشفيات البرلمان المعارضة الميزانية الإصلاح المحكمة الانتخابات المجلس"
    ).split(),
    "he": (
        "הממשלה הודיעה ביום שני כי הסכם חדש על סחר ותחבורה אזוריים ייחתם בחודש הבא לאחר שיחות בין השרים פקידים "
        "אמרו שההסכם כולל כבישים מסילות אנרגיה ומכס בעוד מבקרים הזהירו שלתוכנית חסר מימון ולוח זמנים ברור לשיקום "
        "כפרים משפחות גבול שווקים מחירים מים חשמל בתי ספר חולים כנסת אופוזיציה תקציב רפורמה משפט בחירות מועצה"
    ).split(),
    "hi": (
        "सरकार ने सोमवार को घोषणा की कि क्षेत्रीय व्यापार और परिवहन पर एक नया समझौता अगले महीने मंत्रियों के बीच "
        "बातचीत के बाद हस्ताक्षरित किया जाएगा अधिकारियों ने कहा कि समझौते में सड़कें रेलवे ऊर्जा और सीमा शुल्क शामिल "
        "हैं जबकि आलोचकों ने चेतावनी दी कि योजना में धन और स्पष्ट समय सीमा की कमी है गाँव परिवार बाज़ार कीमतें "
        "पानी बिजली स्कूल अस्पताल संसद विपक्ष बजट सुधार अदालत चुनाव परिषद"
    ).split(),
    "bn": (
        "সরকার সোমবার ঘোষণা করেছে যে আঞ্চলিক বাণিজ্য ও পরিবহন বিষয়ে একটি নতুন চুক্তি আগামী মাসে মন্ত্রীদের "
        "আলোচনার পর স্বাক্ষরিত হবে কর্মকর্তারা বলেছেন চুক্তিতে সড়ক রেলপথ জ্বালানি ও শুল্ক অন্তর্ভুক্ত রয়েছে "
        "সমালোচকরা সতর্ক করেছেন যে পরিকল্পনায় অর্থায়ন ও স্পষ্ট সময়সূচির অভাব রয়েছে গ্রাম পরিবার সীমান্ত বাজার "
        "দাম পানি বিদ্যুৎ স্কুল হাসপাতাল সংসদ বাজেট সংস্কার আদালত নির্বাচন পরিষদ"
    ).split(),
    "ta": (
        "அரசாங்கம் திங்கட்கிழமை அறிவித்தது பிராந்திய வர்த்தகம் மற்றும் போக்குவரத்து தொடர்பான புதிய ஒப்பந்தம் "
        "அடுத்த மாதம் அமைச்சர்களிடையே பேச்சுவார்த்தைக்குப் பின் கையெழுத்திடப்படும் என்று அதிகாரிகள் கூறினர் "
        "சாலைகள் ரயில்வே எரிசக்தி சுங்கம் கிராமங்கள் குடும்பங்கள் எல்லை சந்தைகள் விலைகள் தண்ணீர் மின்சாரம் "
        "பள்ளிகள் மருத்துவமனைகள் நாடாளுமன்றம் எதிர்க்கட்சி சீர்திருத்தம் நீதிமன்றம் தேர்தல் சபை"
    ).split(),
    "zh": (
        "政府 星期一 宣布 关于 地区 贸易 和 运输 的 新 协议 将 在 下个月 部长 会谈 之后 签署 官员 表示 协议 涵盖 "
        "公路 铁路 能源 海关 批评者 警告 计划 缺乏 资金 和 明确 的 时间表 重建 村庄 家庭 边境 市场 价格 水 电力 "
        "学校 医院 议会 反对派 预算 改革 法院 选举 委员会"
    ).split(),
    "ja": (
        "政府 は 月曜日 地域 の 貿易 と 輸送 に 関する 新しい 協定 を 来月 閣僚 協議 の 後 に 署名 する と 発表 "
        "した 当局者 に よる と 協定 は 道路 鉄道 エネルギー 税関 を 対象 と する 批判 的 な 人々 は 計画 に 資金 と "
        "明確 な 日程 が 欠けて いる と 警告 した 村 家族 国境 市場 価格 水 電気 学校 病院 議会 野党 予算 改革 選挙"
    ).split(),
    "ko": (
        "정부는 월요일 지역 무역과 운송에 관한 새로운 협정이 다음 달 장관 회담 후 서명될 것이라고 발표했다 관리들은 "
        "협정이 도로 철도 에너지 세관을 포함한다고 말했다 비평가들은 계획에 자금과 명확한 일정이 부족하다고 "
        "경고했다 마을 가족 국경 시장 가격 물 전기 학교 병원 의회 야당 예산 개혁 법원 선거 위원회"
    ).split(),
}
SPACELESS = {"zh", "ja"}
FULL_STOP = {"zh": "。", "ja": "。", "hi": "।"}
# The benchmark's per-script PDF rows: today's six scripts, then the three kinds of script issue 14 added.
WORLD_GROUPS: dict[str, tuple[str, ...]] = {
    "six scripts (today's articles)": ("en", "az", "ru", "hy", "ka", "el"),
    "right-to-left (ar, he)": ("ar", "he"),
    "CJK (zh, ja, ko)": ("zh", "ja", "ko"),
    "Indic (hi, bn, ta)": ("hi", "bn", "ta"),
}
