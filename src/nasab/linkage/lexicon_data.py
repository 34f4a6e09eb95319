"""The name lexicon of :mod:`nasab.linkage.lexicon`, as data: common Arabic given names of
Syria (male and female) with their Arabic script forms and usual Latin spellings, the
Levantine nicknames, and the forms of the Mohammad- prefix. Written by hand for nasab (no
third-party list copied). Data only: the rules that read it are in
:mod:`nasab.linkage.lexicon`."""

from __future__ import annotations

# id | Arabic forms (/) | Latin spellings (,) -- the id is the first Latin spelling.  A
# spelling that two names share is listed under both (Hassen: حسن or حسان; Saed: سعد or
# سعيد), and then reads as either; the id's own spelling may be left out where every usual
# one is another name's (حسان is written Hassan, as حسن is; "Hassaan" is as often Hassan
# typed with a letter doubled).
MALE = """
mohammad | محمد | Mohammad, Muhammad, Mohammed, Mohamed, Mohamad, Muhammed, Mouhammad, Mhd, Mohd, Moh
ahmad | أحمد | Ahmad, Ahmed, Ahmet
mahmoud | محمود | Mahmoud, Mahmud, Mahmood, Mahmod
mustafa | مصطفى | Mustafa, Moustafa, Mostafa, Mustapha
ali | علي | Ali, Aly
omar | عمر | Omar, Umar, Omer
ammar | عمار | Ammar, Amar, Ammaar
amer | عامر | Amer, Aamer
hassan | حسن | Hassan, Hasan, Hasen, Hassen
hussein | حسين | Hussein, Husein, Hussain, Husain, Hossein, Husayn
khaled | خالد | Khaled, Khalid, Khaleed, Chaled
khaldoun | خلدون | Khaldoun, Khaldun, Khaldoon
ibrahim | إبراهيم / ابراهيم | Ibrahim, Ebrahim, Brahim, Ibraheem, Abraham
yousef | يوسف | Yousef, Youssef, Yusuf, Yosef, Yousif, Yusef, Joseph
abdullah | عبد الله / عبدالله | Abdullah, Abdallah, Abd Allah, Abdulla, Abdellah
abdulrahman | عبد الرحمن | Abd al-Rahman, Abdulrahman, Abdel Rahman, Abdurrahman
abdulkarim | عبد الكريم | Abd al-Karim, Abdulkarim, Abdel Karim, Abdul Kareem
abdulqader | عبد القادر | Abd al-Qader, Abdulkader, Abdelkader, Abdul Qadir
abdulaziz | عبد العزيز | Abd al-Aziz, Abdulaziz, Abdelaziz
abdulhamid | عبد الحميد | Abd al-Hamid, Abdulhamid, Abdelhamid
abdulrazzaq | عبد الرزاق | Abd al-Razzaq, Abdulrazzak, Abdel Razzak
abdulsalam | عبد السلام | Abd al-Salam, Abdulsalam, Abdessalam
abdulnasser | عبد الناصر | Abd al-Nasser, Abdulnaser, Abdel Nasser
abdulhadi | عبد الهادي | Abd al-Hadi, Abdulhadi
abdulghani | عبد الغني | Abd al-Ghani, Abdulghani
abdullatif | عبد اللطيف | Abd al-Latif, Abdullatif, Abdellatif
abdulmajid | عبد المجيد | Abd al-Majid, Abdulmajeed, Abdelmajid
abdulhalim | عبد الحليم | Abd al-Halim, Abdulhalim
abdulwahab | عبد الوهاب | Abd al-Wahab, Abdulwahab
abdulbasit | عبد الباسط | Abd al-Basit, Abdulbaset
abdulilah | عبد الإله / عبد الاله | Abd al-Ilah, Abdulilah
abdulmuin | عبد المعين | Abd al-Muin, Abdulmoein
abdulraouf | عبد الرؤوف | Abd al-Raouf, Abdulraouf
abdulrahim | عبد الرحيم | Abd al-Rahim, Abdulrahim
abdulfattah | عبد الفتاح | Abd al-Fattah, Abdulfattah
abdulmalik | عبد الملك | Abd al-Malik, Abdulmalek
abdulwahid | عبد الواحد | Abd al-Wahid, Abdulwahed
abdulkafi | عبد الكافي | Abd al-Kafi, Abdulkafi
abdulmunim | عبد المنعم | Abd al-Munim, Abdulmonem
samer | سامر | Samer, Saamer
sami | سامي | Sami, Samy, Sammy
samir | سمير | Samir, Sameer, Semir
fadi | فادي | Fadi, Fady
rami | رامي | Rami, Ramy
basel | باسل | Basel, Basil, Bassel
bassam | بسام | Bassam, Basam
imad | عماد | Imad, Emad
ayman | أيمن | Ayman, Aiman, Eyman
wael | وائل | Wael, Wail
maher | ماهر | Maher, Mahir
bashar | بشار | Bashar, Bachar, Bashshar
yaser | ياسر | Yaser, Yasser, Yassir, Yasir
raed | رائد | Raed, Raid
mazen | مازن | Mazen, Mazin
haitham | هيثم | Haitham, Haytham, Heitham
tareq | طارق | Tareq, Tariq, Tarek, Tarik
ziad | زياد | Ziad, Ziyad, Zyad
nabil | نبيل | Nabil, Nabeel
jamal | جمال | Jamal, Gamal, Djamal
kamal | كمال | Kamal, Kemal
munir | منير | Munir, Mounir, Moneer
suleiman | سليمان | Suleiman, Sulaiman, Soliman, Sleiman, Sulayman, Solomon
othman | عثمان | Othman, Osman, Uthman
saleh | صالح | Saleh, Salih
qasem | قاسم | Qasem, Qasim, Kassem, Qassem, Kasem
ghassan | غسان | Ghassan, Ghasan
shadi | شادي | Shadi, Chadi, Shady
issa | عيسى | Issa, Eissa, Isa, Essa, Eisa
musa | موسى | Musa, Moussa, Mousa, Moosa, Moses
iyad | إياد | Iyad, Eyad, Iyyad, Eyyad, Ayad
mamoun | مأمون | Mamoun, Mamun, Maamoun
anas | أنس | Anas
bilal | بلال | Bilal, Belal
hamza | حمزة | Hamza, Hamzah, Hamzeh
jihad | جهاد | Jihad, Jehad
nidal | نضال | Nidal, Nedal
muhannad | مهند | Muhannad, Mohanad, Mouhanad, Mohannad
firas | فراس | Firas, Feras
hisham | هشام | Hisham, Hesham
walid | وليد | Walid, Waleed
khalil | خليل | Khalil, Khaleel
adel | عادل | Adel, Adil
adnan | عدنان | Adnan
anwar | أنور | Anwar, Anouar
ashraf | أشرف | Ashraf
akram | أكرم | Akram
amin | أمين | Amin, Ameen, Amine
ayham | أيهم | Ayham, Aiham
aws | أوس | Aws, Aous
bakr | بكر | Bakr, Bakir
badr | بدر | Badr, Bader
burhan | برهان | Burhan, Borhan
fahd | فهد | Fahd, Fahed
faisal | فيصل | Faisal, Faysal, Feisal
farouk | فاروق | Farouk, Faruq, Farouq
fawaz | فواز | Fawaz, Fawwaz
ghazi | غازي | Ghazi
ghiath | غياث | Ghiath, Ghiyath, Ghayath
habib | حبيب | Habib
hadi | هادي | Hadi, Hady
hani | هاني | Hani, Hany
hazem | حازم | Hazem, Hazim
hatem | حاتم | Hatem, Hatim
husam | حسام | Husam, Hussam, Hosam
haidar | حيدر | Haidar, Haydar, Hayder
jaber | جابر | Jaber, Jabir
jalal | جلال | Jalal, Galal
jawad | جواد | Jawad, Javad, Jawwad
jasem | جاسم | Jasem, Jassem, Jasim
kinan | كنان | Kinan, Kenan
louay | لؤي | Louay, Luay, Loay
laith | ليث | Laith, Layth, Leith
majd | مجد | Majd
majed | ماجد | Majed, Majid
malek | مالك | Malek, Malik
mansour | منصور | Mansour, Mansur
marwan | مروان | Marwan
moatasem | معتصم | Moatasem, Mutasim, Motasem
muadh | معاذ | Muadh, Moaz, Muaz, Muath, Moath
mohsen | محسن | Mohsen, Muhsin
mundhir | منذر | Mundhir, Monzer, Munzer
nader | نادر | Nader, Nadir
naji | ناجي | Naji, Nagi
nasser | ناصر | Nasser, Naser, Nasir
nizar | نزار | Nizar, Nezar
obada | عبادة | Obada, Ubada, Obadah
osama | أسامة | Osama, Usama, Ousama
qusai | قصي | Qusai, Qussay, Kusay
rabie | ربيع | Rabie, Rabih, Rabi, Rabee, Rabea
radwan | رضوان | Radwan, Ridwan
rafiq | رفيق | Rafiq, Rafik
riad | رياض | Riad, Riyad, Riyadh
saad | سعد | Saad, Saed
saeed | سعيد | Saeed, Said, Saied, Saed
safwan | صفوان | Safwan
salah | صلاح | Salah
salem | سالم | Salem, Salim
salim | سليم | Selim, Saleem
suhail | سهيل | Suhail, Suhayl, Sohail
talal | طلال | Talal
tamer | تامر | Tamer, Tamir
tawfiq | توفيق | Tawfiq, Tawfik, Toufic
wassim | وسيم | Wassim, Wasim, Waseem
yahya | يحيى | Yahya, Yehia
yamen | يامن | Yamen, Yamin
yasin | ياسين | Yasin, Yassin, Yaseen
zaher | زاهر | Zaher, Zahir
zakaria | زكريا | Zakaria, Zakariya, Zakariyya, Zacharia, Zachariah, Zacharie
zuhair | زهير | Zuhair, Zouheir, Zuhayr
hamad | حمد | Hamad
hamid | حامد | Hamid, Hamed
hamdi | حمدي | Hamdi, Hamdy
humam | همام | Humam, Hammam
taha | طه | Taha
ismail | إسماعيل / اسماعيل | Ismail, Ismael, Esmail
yaqub | يعقوب | Yaqub, Yacoub, Yaakoub, Jacob
dawud | داود / داوود | Dawud, Daoud, Dawood, David
idris | إدريس | Idris, Edris
shukri | شكري | Shukri, Choukri
sobhi | صبحي | Sobhi, Subhi
fayez | فايز | Fayez, Faiz
fares | فارس | Fares, Faris
fuad | فؤاد | Fuad, Fouad
jumaa | جمعة | Jumaa, Jomaa, Jumah
ramadan | رمضان | Ramadan, Ramadhan
khairallah | خير الله | Khairallah, Khairullah
khair | خير | Khair, Kheir, Khayr
nour | نور | Nour, Noor, Nur
nouraldin | نور الدين | Nour al-Din, Nureddin, Noureddine
alaa | علاء | Alaa, Ala
alaaaldin | علاء الدين | Alaa al-Din, Alaeddin, Aladdin
izzaldin | عز الدين | Izz al-Din, Ezzeddine, Izzeddin
kheiraldin | خير الدين | Kheir al-Din, Khaireddine
salahaldin | صلاح الدين | Salah al-Din, Salaheddin
shamsaldin | شمس الدين | Shams al-Din, Shamseddine
ubaida | عبيدة / عبيده | Ubaida, Obaida, Obeida, Obaidah, Ubaidah, Obayda, Ubayda
younes | يونس | Younes, Younis, Yunus, Younus, Yunis
khamis | خميس | Khamis, Khamees, Khamiss
hassaan | حسان | Hassen
nadim | نديم | Nadim, Nadeem, Nedim
saber | صابر | Saber, Sabir, Saaber
manaf | مناف | Manaf, Manaaf
hammad | حماد | Hammad, Hamaad
rasoul | رسول | Rasoul, Rasul, Rassoul
moez | معز | Moez, Muiz, Moiz, Muez
hilal | هلال | Hilal, Helal
badawi | بدوي | Badawi, Badawy
nawaf | نواف | Nawaf, Nawwaf
mamdouh | ممدوح | Mamdouh, Mamduh, Mamdooh
asad | أسد / اسد | Asad, Assad
asaad | أسعد / اسعد | As'ad, Asaad, Assaad
rashid | راشد | Rashid, Rashed, Rached
nawfal | نوفل | Nawfal, Nofal, Naufal
bandar | بندر | Bandar, Bender
aziz | عزيز | Aziz, Azeez
shihab | شهاب | Shihab, Shehab, Chehab
khairi | خيري | Khairi, Khairy, Khayri, Kheiri
imam | إمام / امام | Imam, Emam
bahaa | بهاء | Bahaa, Baha, Bahaa'
zahran | زهران | Zahran, Zahraan
nouman | نعمان | Nouman, Numan, Noman, Nuuman
jalil | جليل | Jalil, Jaleel
abduljalil | عبد الجليل | Abd al-Jalil, Abduljalil, Abdel Jalil, Abd Jalil
taysir | تيسير | Taysir, Tayseer, Tayssir, Tiseer
turki | تركي | Turki, Torki, Turky
sultan | سلطان | Sultan, Soltan, Sultaan
nayef | نايف | Nayef, Naif, Nayif
bashir | بشير | Bashir, Bachir, Basheer
masoud | مسعود | Masoud, Masud, Massoud
rida | رضا | Rida, Reda, Ridha, Reza
kanaan | كنعان | Kanaan, Kanan, Canaan
zayed | زايد | Zayed, Zayid
zaid | زيد | Zaid, Zeid, Zayd
helmi | حلمي | Helmi, Hilmi, Helmy
bakri | بكري | Bakri, Bakry
rabeh | رابح | Rabeh, Rabah
wissam | وسام | Wissam, Wisam, Wesam, Wessam
"""

#: Names given to men and women alike (نور / Nour: in Syria more often a woman's): read
#: as the name whatever the report's sex.
UNISEX = frozenset({"nour"})

FEMALE = """
fatima | فاطمة / فاطمه | Fatima, Fatimah, Fatma, Fatme
maryam | مريم | Maryam, Mariam, Meryem, Miriam
aisha | عائشة / عايشة | Aisha, Aysha, Aicha, Ayesha
khadija | خديجة | Khadija, Khadijah, Khadeeja
zainab | زينب | Zainab, Zeinab, Zaynab
rana | رنا | Rana
huda | هدى | Huda, Houda, Hoda
suad | سعاد | Suad, Souad, Soad
layla | ليلى | Layla, Leila, Laila, Leyla
salma | سلمى | Salma, Selma
amal | أمل | Amal, Amel
mona | منى | Mona, Muna, Mouna
hala | هالة | Hala, Halah
rasha | رشا | Rasha, Racha
sanaa | سناء | Sanaa, Sana
najah | نجاح | Najah
wafaa | وفاء | Wafaa, Wafa
samira | سميرة | Samira, Sameera, Samirah
reem | ريم | Reem, Rim
samar | سمر | Samar
sahar | سحر | Sahar
hanan | حنان | Hanan
hind | هند | Hind, Hend
iman | إيمان | Iman, Eman, Imane
inas | إيناس | Inas, Enas
lina | لينا | Lina, Leena
lama | لمى | Lama
maha | مها | Maha
nada | ندى | Nada
nadia | نادية | Nadia, Nadiya
nawal | نوال | Nawal
rima | ريما | Rima, Reema
rola | رولا | Rola, Rula
sawsan | سوسن | Sawsan, Sausan
suha | سهى | Suha, Soha
ghada | غادة | Ghada
ola | علا | Ola, Ula
asmaa | أسماء | Asmaa, Asma
amina | آمنة / أمينة | Amina, Amena, Aminah
aya | آية | Aya, Ayah
dalal | دلال | Dalal
fadwa | فدوى | Fadwa, Fadoua
hayat | حياة | Hayat
jamila | جميلة | Jamila, Jameela
kawthar | كوثر | Kawthar, Kawsar
lubna | لبنى | Lubna, Loubna
manal | منال | Manal
nisreen | نسرين | Nisreen, Nesrine
rania | رانيا / رانية | Rania, Ranya
rawan | روان | Rawan
ruqaya | رقية | Ruqaya, Roukaya
sabah | صباح | Sabah
safaa | صفاء | Safaa, Safa
sara | سارة / ساره | Sara, Sarah
widad | وداد | Widad
yusra | يسرى | Yusra, Yousra
hiba | هبة | Hiba, Heba
abeer | عبير | Abeer, Abir
afaf | عفاف | Afaf
bushra | بشرى | Bushra, Boushra
ibtisam | ابتسام | Ibtisam, Ebtisam
intisar | انتصار | Intisar, Entisar
ilham | إلهام | Ilham, Elham
mayada | ميادة | Mayada, Mayyada
maysoon | ميسون | Maysoon, Maysun
naima | نعيمة | Naima, Naeema
najwa | نجوى | Najwa
raghad | رغد | Raghad
rahaf | رهف | Rahaf
randa | رندة | Randa
ruba | ربى | Ruba, Roba
samah | سماح | Samah
zahra | زهرة / زهراء | Zahra, Zahraa
noura | نورا / نورة | Noura, Nora, Nura, Norah
halima | حليمة / حليمه | Halima, Halimah, Haleema
faten | فاتن | Faten, Fatin
shadia | شادية / شاديه | Shadia, Shadiya, Chadia
siham | سهام | Siham, Seham, Suham
marwa | مروة / مروه | Marwa, Marwah, Merwa
razan | رزان | Razan, Razane
dima | ديمة / ديمه | Dima, Deema
israa | إسراء / اسراء | Israa, Esraa, Isra, Esra
salwa | سلوى / سلوي | Salwa, Salua
amira | أميرة / أميره / اميرة | Amira, Ameera, Amirah
azza | عزة / عزه | Azza, Azzah
sally | سالي / سالى | Sally, Sali
khatoun | خاتون | Khatoun, Khatun, Hatun
"""

# Nicknames (Levantine diminutives): Arabic forms / Latin spellings -> the names they
# stand for.  A nickname is evidence for any of its names, never for another.
ABD = "abd*"  # every Abd-compound of the lexicon
NICKNAMES = """
حمودة / حمودي / حمود / حمادة | Hamoudeh, Hammoudeh, Hamouda, Hammouda, Hamoudi, Hammoudi, Hamudi, Hammudi, Hamoud, Hammoud, Hamada, Hamadeh, Hamade | mohammad, mahmoud, ahmad
عبود / عبودي / عبدو | Abboud, Aboud, Abbud, Abboudi, Aboudi, Abdo, Abdou | abd*
فطوم / فطومة | Fattoum, Fatoum, Fattoumeh | fatima
خدوج / خدوجة | Khaddouj, Khadouj | khadija
زوزو | Zouzou | zainab
علوش / علوشة | Alloush, Allouch, Aloush | ali
حسون | Hassoun, Hasoun, Hassun | hassan, hussein
برهوم | Barhoum, Barhum | ibrahim
"""

#: Abbreviations and forms of the Mohammad- prefix of compound names (Mohammad Sami).
MOHAMMAD_PREFIXES = frozenset(
    {
        "mhd",
        "md",
        "moh",
        "mohd",
        "mhmd",
        "muh",
        "mohamad",
        "mohammad",
        "mohammed",
        "mohamed",
        "muhammad",
        "muhammed",
        "mouhammad",
        "m",
        "محمد",
        "مح",
        "م",
    }
)

#: Words that join a name to the father's (Mohammad bin Ahmad, محمد بن أحمد): no names.
NAME_CONNECTORS = frozenset({"bin", "ibn", "ben", "bn", "bint", "binte", "بن", "ابن", "بنت"})

#: The same in two words, as English and French forms write them ("Reem daughter of Ali"):
#: read as a connector (:func:`nasab.linkage.tokens.name_words`).
NAME_CONNECTOR_PHRASES = ("son of", "daughter of", "fils de", "fille de")

#: Titles written before a name (Dr., Hajj, Sheikh; الحاج، الشيخ، الدكتور, and the words
#: lists of the missing put first: الشهيد، المعتقل): no names where a name follows.
NAME_TITLES = frozenset(
    {
        "dr",
        "doctor",
        "eng",
        "engineer",
        "prof",
        "mr",
        "haj",
        "hajj",
        "hajji",
        "hadj",
        "hadji",
        "sheikh",
        "sheik",
        "shaikh",
        "shaykh",
        "cheikh",
        "ustaz",
        "ustadh",
        "martyr",
        "الحاج",
        "حاج",
        "الحجي",
        "الشيخ",
        "شيخ",
        "الدكتور",
        "دكتور",
        "د",
        "المهندس",
        "مهندس",
        "السيد",
        "الاستاذ",
        "استاذ",
        "الشهيد",
        "المعتقل",
        "المفقود",
        "المغيب",
        "المختفي",
        "الطفل",
        "الشاب",
    }
)

#: Words that bring in another name of the same person after the name ("aka Abu Ali",
#: الملقب أبو علي): the marker and the name it brings are no part of the chain.
ALIAS_MARKERS = frozenset(
    {"aka", "alias", "الملقب", "الملقبة", "المعروف", "المعروفة", "المكنى", "يلقب", "ويلقب"}
)
