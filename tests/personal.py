"""The personal-data corpora of the import gate: column headers and free text about people.

Albanian and English headers a police export (or a careless analyst's spreadsheet) could carry,
with the case, accent, spacing and suffix variants spreadsheets produce. None may pass an
incident import. Free-text cases hide people in the columns the app does read.
"""

from __future__ import annotations

#: Headers about people (>= 100): names, parents, birth, identity numbers, phones, e-mails,
#: home addresses, roles of persons, and their variants.
PERSONAL_HEADERS: tuple[str, ...] = (
    # names
    "emri", "Emri", "EMRI", "emër", "Emër", "emer", "mbiemri", "Mbiemri", "mbiemer", "Mbiemër", "mbiemri_1",
    "emer_mbiemer", "Emër Mbiemër", "emri_mbiemri", "Emri dhe mbiemri", "emri_plote", "Emri i plotë",
    "emri_viktimes", "Emri i viktimës", "emri_autorit", "Emri i autorit", "viktima_emri", "viktima",
    "Viktima", "i_dyshuari", "I dyshuari", "autori", "Autori i veprës", "denoncuesi", "Kallëzuesi", "deshmitari",
    "Dëshmitari", "pseudonimi", "nofka", "name", "Name", "NAME", "first_name", "First Name", "firstname",
    "surname", "Surname", "last_name", "Last name", "full_name", "Full Name", "victim_name", "Victim",
    "victim", "suspect_name", "offender", "witness", "complainant", "nickname", "alias",
    # parents
    "atësia", "Atësia", "atesia", "amësia", "Amësia", "emri_i_babait", "father_name", "mother_name",
    # birth
    "data_e_lindjes", "Data e lindjes", "Data e Lindjes.1", "datelindja", "Datëlindja", "ditëlindja",
    "vendlindja", "Vendlindja", "vendi_i_lindjes", "viti_i_lindjes", "DOB", "dob", "D.O.B.", "date_of_birth",
    "Date of birth", "birth_date", "birthdate", "place_of_birth", "year_of_birth",
    # identity numbers
    "NrPersonal", "nr_personal", "Nr. Personal", "nr_id", "Nr ID", "numri_identitetit", "numri_personal",
    "Numri Personal", "NID", "nid", "nipt", "kartë_identiteti", "karta_e_identitetit", "leternjoftimi",
    "pasaporta", "Nr. Pasaportës", "passport", "passport_no", "personal_id", "national_id", "id_number",
    "ssn",
    # phones and e-mails
    "telefoni", "Telefoni", "TELEFONI", "tel", "Tel.", "nr_tel", "nr_telefonit", "Numri i telefonit",
    "celulari", "cel", "mobile", "phone", "Phone_1", "telephone", "email", "E-mail", "e_mail", "adresa_email",
    # home addresses
    "adresa e banimit", "Adresa e banimit", "adresa_banimit", "vendbanimi", "Vendbanimi", "vendi_i_banimit",
    "banimi", "adresa_e_shtepise", "adresa e viktimës", "adresa_autorit", "home_address", "Home Address",
    "residence", "domicile",
    # other data about persons
    "mosha", "Mosha", "age", "gjinia", "sex", "gender", "kombesia", "nationality", "profesioni", "occupation",
    "statusi_civil", "marital_status",
)

#: Free text about people in the columns the app reads: (field, value, the kind it must be refused as).
FREE_TEXT_CASES: tuple[tuple[str, str, str], ...] = (
    ("reference", "Arta Hoxha 1985-03-02", "reference_shape"),
    ("reference", "NID J85302123X", "reference_shape"),
    ("reference", "Besnik Kola, lindur 1990", "reference_shape"),
    ("reference", "J85302123X", "reference_shape"),
    ("reference", "0691234567", "text_phone"),
    ("address", "Rruga e Kalasë, shtepia e viktimes Arta Hoxha tel 0691234567", "text_phone"),
    ("address", "Lagjja 5 Maji, shtëpia e Besnik Kolës", "text_personal_word"),
    ("address", "Rruga Qemal Stafa, banon Arta Hoxha", "text_personal_word"),
    ("address", "pranë stadiumit, i dëmtuari B. Kola", "text_personal_word"),
    ("address", "Kalaja, viktima 17 vjeç", "text_personal_word"),
    ("address", "Rruga Kristoforidhi, J85302123X", "text_id_number"),
    ("address", "Bulevardi Qemal Stafa, cel +355 69 123 4567", "text_phone"),
    ("address", "Pallati 96, 00355-68-765-4321", "text_phone"),
    ("address", "Rruga Dora d'Istria, 02.03.1985", "text_date"),
    ("address", "Rruga e Kalasë, lindur 1990", "text_personal_word"),
    ("address", "Emri: Arta Hoxha, te Xhamia e Nazireshës", "text_personal_word"),
    ("landmark", "shtëpia e viktimës", "text_personal_word"),
)
