"""Synthetic people for demonstrations and tests: names are generated, never real records.

Names are drawn from short lists of common given names and occupational family names and
combined at random, so no generated person is meant to be anyone.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

MALE = [
    ("أحمد", "Ahmad"),
    ("محمد", "Muhammad"),
    ("علي", "Ali"),
    ("عمر", "Omar"),
    ("خالد", "Khaled"),
    ("يوسف", "Yousef"),
    ("سامر", "Samer"),
    ("فادي", "Fadi"),
    ("ماهر", "Maher"),
    ("باسل", "Basel"),
    ("حسن", "Hasan"),
    ("إبراهيم", "Ibrahim"),
    ("وليد", "Walid"),
    ("طارق", "Tareq"),
    ("نبيل", "Nabil"),
    ("زياد", "Ziad"),
]
FEMALE = [
    ("فاطمة", "Fatima"),
    ("مريم", "Maryam"),
    ("هدى", "Huda"),
    ("سلمى", "Salma"),
    ("رنا", "Rana"),
    ("لينا", "Lina"),
    ("نور", "Nour"),
    ("سعاد", "Suad"),
    ("أمل", "Amal"),
    ("هالة", "Hala"),
    ("ريم", "Reem"),
    ("منى", "Mona"),
]
FAMILY = [
    ("الحداد", "al-Haddad"),
    ("النجار", "al-Najjar"),
    ("الخياط", "al-Khayyat"),
    ("الصباغ", "al-Sabbagh"),
    ("الطحان", "al-Tahhan"),
    ("الخباز", "al-Khabbaz"),
    ("العطار", "al-Attar"),
    ("الزيات", "al-Zayyat"),
    ("القصاب", "al-Qassab"),
    ("البناء", "al-Bannaa"),
    ("الفران", "al-Farran"),
    ("الدباغ", "al-Dabbagh"),
]


@dataclass(frozen=True)
class Name:
    ar: str
    latin: str


@dataclass(frozen=True)
class SyntheticFamily:
    family: Name
    father: Name
    grandfather: Name
    mother: Name
    mother_family: Name
    missing: Name
    missing_sex: str
    sibling: Name
    sibling_sex: str

    def full(self, given: Name) -> Name:
        """Given name + father + grandfather + family, as written on civil papers."""
        return Name(
            f"{given.ar} {self.father.ar} {self.grandfather.ar} {self.family.ar}",
            f"{given.latin} {self.father.latin} {self.grandfather.latin} {self.family.latin}",
        )


def _pick(rng: random.Random, names, exclude=()) -> Name:
    choice = rng.choice([n for n in names if n[0] not in exclude])
    return Name(*choice)


def family(rng: random.Random) -> SyntheticFamily:
    fam = _pick(rng, FAMILY)
    father = _pick(rng, MALE)
    grandfather = _pick(rng, MALE, exclude={father.ar})
    mother = _pick(rng, FEMALE)
    mother_family = _pick(rng, FAMILY, exclude={fam.ar})
    missing_sex = rng.choice("MMMF")
    missing = _pick(rng, MALE if missing_sex == "M" else FEMALE, exclude={father.ar})
    sibling_sex = rng.choice("MF")
    sibling = _pick(rng, MALE if sibling_sex == "M" else FEMALE, exclude={missing.ar, father.ar})
    return SyntheticFamily(
        fam, father, grandfather, mother, mother_family, missing, missing_sex, sibling, sibling_sex
    )
