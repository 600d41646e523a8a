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
