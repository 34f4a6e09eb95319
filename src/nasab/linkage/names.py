"""Lists of common Syrian given names and family names, for the synthetic generator.

Each entry is ``Arabic | Latin spelling, Latin spelling, ...``: the usual Arabic script
and several transliterations seen in practice (English, French, informal).  They are
generic common names, not the names of any real person.  The order is roughly by
frequency; the generator draws from them with a Zipf-like weight so that a few names
(Mohammad, Ahmad, Fatima) are very common, as they are in reality.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Name:
    arabic: str
    latin: tuple[str, ...]


def _parse(block: str) -> tuple[Name, ...]:
    out = []
    for line in block.strip().splitlines():
        ar, lat = line.split("|")
        out.append(Name(ar.strip(), tuple(v.strip() for v in lat.split(","))))
    return tuple(out)


MALE = _parse(
    """
محمد | Mohammad, Muhammad, Mohammed, Mohamed, Mohamad, Muhammed
أحمد | Ahmad, Ahmed, Ahmet
علي | Ali, Aly
محمود | Mahmoud, Mahmud, Mahmood
خالد | Khaled, Khalid, Khalled
عمر | Omar, Umar, Omer
حسن | Hassan, Hasan
حسين | Hussein, Husain, Hussain, Hossein
إبراهيم | Ibrahim, Ebrahim, Brahim
يوسف | Yousef, Youssef, Yusuf, Yosef
مصطفى | Mustafa, Moustafa, Mostafa
عبد الله | Abdullah, Abdallah, Abd Allah, Abdulla
عبد الرحمن | Abd al-Rahman, Abdulrahman, Abdel Rahman, Abdurrahman
عبد الكريم | Abd al-Karim, Abdulkarim, Abdel Karim, Abdul Kareem
سامر | Samer, Saamer
فادي | Fadi, Fady
رامي | Rami, Ramy
باسل | Basel, Basil, Bassel
سمير | Samir, Sameer, Samir
عماد | Imad, Emad
أيمن | Ayman, Aiman, Eyman
وائل | Wael, Wa'il, Wail
ماهر | Maher, Mahir
بشار | Bashar, Bachar
ياسر | Yaser, Yasser, Yassir
رائد | Raed, Ra'ed, Raid
مازن | Mazen, Mazin
هيثم | Haitham, Haytham, Heitham
طارق | Tareq, Tariq, Tarek
زياد | Ziad, Ziyad, Zyad
نبيل | Nabil, Nabeel
جمال | Jamal, Gamal, Djamal
كمال | Kamal, Kemal
منير | Munir, Mounir, Moneer
سليمان | Suleiman, Sulaiman, Soliman
عثمان | Othman, Osman, Uthman
صالح | Saleh, Salih
قاسم | Qasim, Kassem, Qassem
غسان | Ghassan, Ghasan
شادي | Shadi, Chadi, Shady
عيسى | Issa, Eissa, Isa
موسى | Musa, Moussa, Mousa
إياد | Iyad, Eyad, Iyyad
مأمون | Mamoun, Ma'mun, Mamun
أنس | Anas, Ennas
بلال | Bilal, Belal
حمزة | Hamza, Hamzah
جهاد | Jihad, Jehad
نضال | Nidal, Nedal
مهند | Muhannad, Mohanad, Mouhanad
"""
)

FEMALE = _parse(
    """
فاطمة | Fatima, Fatimah, Fatma
مريم | Maryam, Mariam, Meryem
عائشة | Aisha, Aysha, Aicha
خديجة | Khadija, Khadijah, Khadeeja
زينب | Zainab, Zeinab, Zaynab
نور | Nour, Noor, Nur
رنا | Rana, Rena
هدى | Huda, Houda, Hoda
سعاد | Suad, Souad, Soad
ليلى | Layla, Leila, Laila
سلمى | Salma, Selma
أمل | Amal, Amel
منى | Mona, Muna, Mouna
هالة | Hala, Halah
رشا | Rasha, Racha
سناء | Sanaa, Sana'a, Sana
نجاح | Najah, Nagah
وفاء | Wafaa, Wafa, Wafa'a
سميرة | Samira, Sameera, Samirah
ريم | Reem, Rim, Riem
"""
)

FAMILY = _parse(
    """
الحموي | al-Hamwi, Al Hamawi, El-Hamwi, Hamwi, Alhamwi
الحلبي | al-Halabi, Al Halaby, El Halabi, Halabi
الشامي | al-Shami, Al Chami, Alshami, Shami
الحمصي | al-Homsi, Al Hemsi, El-Homsi, Homsi
الإدلبي | al-Idlibi, Al Edlibi, Idlibi
الخطيب | al-Khatib, Al Khateeb, El Khatib, Khatib
النجار | al-Najjar, Al Najar, En-Najjar, Najjar
الحداد | al-Haddad, Al Hadad, El-Haddad, Haddad
العلي | al-Ali, Al Aly, El-Ali
الأحمد | al-Ahmad, Al Ahmed, Alahmad
المحمد | al-Mohammad, Al Muhammad, Almohamad
الحسن | al-Hassan, Al Hasan, El Hassan
الحسين | al-Hussein, Al Husain, Alhussain
الخليل | al-Khalil, Al Khaleel, Khalil
الصالح | al-Saleh, Al Salih, Assaleh
الزعبي | al-Zoubi, Al Zubi, Zoabi, Alzoubi
المصري | al-Masri, Al Misri, El-Masri, Masri
الكردي | al-Kurdi, Al Kordi, Kurdi
التركماني | al-Turkmani, Al Torkmani, Turkmani
الديري | al-Deiri, Al Dairi, Deiry
الرفاعي | al-Rifai, Al Refai, Rifaii
العبدالله | al-Abdullah, Al Abdallah, Alabdullah
الموسى | al-Mousa, Al Musa, Almousa
العيسى | al-Issa, Al Eissa, Alissa
السيد | al-Sayed, Al Sayyed, Elsayed, Sayed
الجاسم | al-Jasem, Al Jassim, Jassem
الحسيني | al-Husseini, Al Husaini, Husseini
القاسم | al-Qasim, Al Kassem, Qassem
الخوري | Khoury, Al Khouri, Khuri
حداد | Haddad, Hadad
سلامة | Salameh, Salama, Salamah
عثمان | Othman, Osman, Uthman
درويش | Darwish, Darwich, Darweesh
بكري | Bakri, Bakry, Bekri
شحادة | Shehadeh, Chehade, Shahada
نعسان | Naasan, Na'san, Nasan
قباني | Qabbani, Kabbani, Qabani
حجازي | Hijazi, Hejazi, Hegazi
طحان | Tahhan, Tahan, Tahhane
عطار | Attar, Al Attar, Atar
"""
)

#: The 14 governorates of Syria (English name, Arabic name).
GOVERNORATES = (
    ("Damascus", "دمشق"),
    ("Rif Dimashq", "ريف دمشق"),
    ("Aleppo", "حلب"),
    ("Homs", "حمص"),
    ("Hama", "حماة"),
    ("Idlib", "إدلب"),
    ("Latakia", "اللاذقية"),
    ("Tartus", "طرطوس"),
    ("Daraa", "درعا"),
    ("As-Suwayda", "السويداء"),
    ("Quneitra", "القنيطرة"),
    ("Deir ez-Zor", "دير الزور"),
    ("Raqqa", "الرقة"),
    ("Al-Hasakah", "الحسكة"),
)

#: Generic kinds of place where a disappearance was reported (no real facility names).
PLACES = (
    ("checkpoint", "حاجز"),
    ("home", "المنزل"),
    ("market", "السوق"),
    ("university", "الجامعة"),
    ("workplace", "مكان العمل"),
    ("bus station", "الكراج"),
    ("hospital", "المشفى"),
    ("mosque", "الجامع"),
    ("border crossing", "المعبر الحدودي"),
)
