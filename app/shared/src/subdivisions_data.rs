//! States, provinces and territories of the countries whose addresses name one, from ISO 3166-2.
//!
//! Per country, one line per subdivision: its ISO 3166-2 code without the country prefix, a space,
//! and its name; sorted by name. A string per country rather than a table of pairs, because it
//! ships inside the widget. Generated from the ISO 3166 data of the `pycountry` package (US outlying
//! areas are left out: ISO lists them as countries of their own).

pub(crate) const SUBDIVISIONS: [(&str, &str); 6] = [
    (
        "AU",
        "\
ACT Australian Capital Territory\n\
NSW New South Wales\n\
NT Northern Territory\n\
QLD Queensland\n\
SA South Australia\n\
TAS Tasmania\n\
VIC Victoria\n\
WA Western Australia",
    ),
    (
        "BR",
        "\
AC Acre\n\
AL Alagoas\n\
AP Amapá\n\
AM Amazonas\n\
BA Bahia\n\
CE Ceará\n\
DF Distrito Federal\n\
ES Espírito Santo\n\
GO Goiás\n\
MA Maranhão\n\
MT Mato Grosso\n\
MS Mato Grosso do Sul\n\
MG Minas Gerais\n\
PR Paraná\n\
PB Paraíba\n\
PA Pará\n\
PE Pernambuco\n\
PI Piauí\n\
RN Rio Grande do Norte\n\
RS Rio Grande do Sul\n\
RJ Rio de Janeiro\n\
RO Rondônia\n\
RR Roraima\n\
SC Santa Catarina\n\
SE Sergipe\n\
SP São Paulo\n\
TO Tocantins",
    ),
    (
        "CA",
        "\
AB Alberta\n\
BC British Columbia\n\
MB Manitoba\n\
NB New Brunswick\n\
NL Newfoundland and Labrador\n\
NT Northwest Territories\n\
NS Nova Scotia\n\
NU Nunavut\n\
ON Ontario\n\
PE Prince Edward Island\n\
QC Quebec\n\
SK Saskatchewan\n\
YT Yukon",
    ),
    (
        "IN",
        "\
AN Andaman and Nicobar Islands\n\
AP Andhra Pradesh\n\
AR Arunāchal Pradesh\n\
AS Assam\n\
BR Bihār\n\
CH Chandīgarh\n\
CG Chhattīsgarh\n\
DL Delhi\n\
DH Dādra and Nagar Haveli and Damān and Diu\n\
GA Goa\n\
GJ Gujarāt\n\
HR Haryāna\n\
HP Himāchal Pradesh\n\
JK Jammu and Kashmīr\n\
JH Jhārkhand\n\
KA Karnātaka\n\
KL Kerala\n\
LA Ladākh\n\
LD Lakshadweep\n\
MP Madhya Pradesh\n\
MH Mahārāshtra\n\
MN Manipur\n\
ML Meghālaya\n\
MZ Mizoram\n\
NL Nāgāland\n\
OD Odisha\n\
PY Puducherry\n\
PB Punjab\n\
RJ Rājasthān\n\
SK Sikkim\n\
TN Tamil Nādu\n\
TS Telangāna\n\
TR Tripura\n\
UP Uttar Pradesh\n\
UK Uttarākhand\n\
WB West Bengal",
    ),
    (
        "MX",
        "\
AGU Aguascalientes\n\
BCN Baja California\n\
BCS Baja California Sur\n\
CAM Campeche\n\
CHP Chiapas\n\
CHH Chihuahua\n\
CMX Ciudad de México\n\
COA Coahuila de Zaragoza\n\
COL Colima\n\
DUR Durango\n\
GUA Guanajuato\n\
GRO Guerrero\n\
HID Hidalgo\n\
JAL Jalisco\n\
MIC Michoacán de Ocampo\n\
MOR Morelos\n\
MEX México\n\
NAY Nayarit\n\
NLE Nuevo León\n\
OAX Oaxaca\n\
PUE Puebla\n\
QUE Querétaro\n\
ROO Quintana Roo\n\
SLP San Luis Potosí\n\
SIN Sinaloa\n\
SON Sonora\n\
TAB Tabasco\n\
TAM Tamaulipas\n\
TLA Tlaxcala\n\
VER Veracruz de Ignacio de la Llave\n\
YUC Yucatán\n\
ZAC Zacatecas",
    ),
    (
        "US",
        "\
AL Alabama\n\
AK Alaska\n\
AZ Arizona\n\
AR Arkansas\n\
CA California\n\
CO Colorado\n\
CT Connecticut\n\
DE Delaware\n\
DC District of Columbia\n\
FL Florida\n\
GA Georgia\n\
HI Hawaii\n\
ID Idaho\n\
IL Illinois\n\
IN Indiana\n\
IA Iowa\n\
KS Kansas\n\
KY Kentucky\n\
LA Louisiana\n\
ME Maine\n\
MD Maryland\n\
MA Massachusetts\n\
MI Michigan\n\
MN Minnesota\n\
MS Mississippi\n\
MO Missouri\n\
MT Montana\n\
NE Nebraska\n\
NV Nevada\n\
NH New Hampshire\n\
NJ New Jersey\n\
NM New Mexico\n\
NY New York\n\
NC North Carolina\n\
ND North Dakota\n\
OH Ohio\n\
OK Oklahoma\n\
OR Oregon\n\
PA Pennsylvania\n\
RI Rhode Island\n\
SC South Carolina\n\
SD South Dakota\n\
TN Tennessee\n\
TX Texas\n\
UT Utah\n\
VT Vermont\n\
VA Virginia\n\
WA Washington\n\
WV West Virginia\n\
WI Wisconsin\n\
WY Wyoming",
    ),
];
