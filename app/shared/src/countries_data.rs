//! ISO 3166-1 alpha-2 countries, English short names, sorted by name.
//!
//! One line per country: the two-letter code followed by the name. Kept as a single string
//! rather than a table of `&str` pairs because it ships inside the widget, where every byte counts.
//! Generated from the ISO 3166 data of the `pycountry` package.

pub(crate) const COUNTRIES: &str = "\
AFAfghanistan\n\
ALAlbania\n\
DZAlgeria\n\
ASAmerican Samoa\n\
ADAndorra\n\
AOAngola\n\
AIAnguilla\n\
AQAntarctica\n\
AGAntigua and Barbuda\n\
ARArgentina\n\
AMArmenia\n\
AWAruba\n\
AUAustralia\n\
ATAustria\n\
AZAzerbaijan\n\
BSBahamas\n\
BHBahrain\n\
BDBangladesh\n\
BBBarbados\n\
BYBelarus\n\
BEBelgium\n\
BZBelize\n\
BJBenin\n\
BMBermuda\n\
BTBhutan\n\
BOBolivia\n\
BQBonaire, Sint Eustatius and Saba\n\
BABosnia and Herzegovina\n\
BWBotswana\n\
BVBouvet Island\n\
BRBrazil\n\
IOBritish Indian Ocean Territory\n\
BNBrunei Darussalam\n\
BGBulgaria\n\
BFBurkina Faso\n\
BIBurundi\n\
CVCabo Verde\n\
KHCambodia\n\
CMCameroon\n\
CACanada\n\
KYCayman Islands\n\
CFCentral African Republic\n\
TDChad\n\
CLChile\n\
CNChina\n\
CXChristmas Island\n\
CCCocos (Keeling) Islands\n\
COColombia\n\
KMComoros\n\
CGCongo\n\
CDCongo, The Democratic Republic of the\n\
CKCook Islands\n\
CRCosta Rica\n\
HRCroatia\n\
CUCuba\n\
CWCuraçao\n\
CYCyprus\n\
CZCzechia\n\
CICôte d'Ivoire\n\
DKDenmark\n\
DJDjibouti\n\
DMDominica\n\
DODominican Republic\n\
ECEcuador\n\
EGEgypt\n\
SVEl Salvador\n\
GQEquatorial Guinea\n\
EREritrea\n\
EEEstonia\n\
SZEswatini\n\
ETEthiopia\n\
FKFalkland Islands (Malvinas)\n\
FOFaroe Islands\n\
FJFiji\n\
FIFinland\n\
FRFrance\n\
GFFrench Guiana\n\
PFFrench Polynesia\n\
TFFrench Southern Territories\n\
GAGabon\n\
GMGambia\n\
GEGeorgia\n\
DEGermany\n\
GHGhana\n\
GIGibraltar\n\
GRGreece\n\
GLGreenland\n\
GDGrenada\n\
GPGuadeloupe\n\
GUGuam\n\
GTGuatemala\n\
GGGuernsey\n\
GNGuinea\n\
GWGuinea-Bissau\n\
GYGuyana\n\
HTHaiti\n\
HMHeard Island and McDonald Islands\n\
VAHoly See (Vatican City State)\n\
HNHonduras\n\
HKHong Kong\n\
HUHungary\n\
ISIceland\n\
INIndia\n\
IDIndonesia\n\
IRIran\n\
IQIraq\n\
IEIreland\n\
IMIsle of Man\n\
ILIsrael\n\
ITItaly\n\
JMJamaica\n\
JPJapan\n\
JEJersey\n\
JOJordan\n\
KZKazakhstan\n\
KEKenya\n\
KIKiribati\n\
KWKuwait\n\
KGKyrgyzstan\n\
LALaos\n\
LVLatvia\n\
LBLebanon\n\
LSLesotho\n\
LRLiberia\n\
LYLibya\n\
LILiechtenstein\n\
LTLithuania\n\
LULuxembourg\n\
MOMacao\n\
MGMadagascar\n\
MWMalawi\n\
MYMalaysia\n\
MVMaldives\n\
MLMali\n\
MTMalta\n\
MHMarshall Islands\n\
MQMartinique\n\
MRMauritania\n\
MUMauritius\n\
YTMayotte\n\
MXMexico\n\
FMMicronesia, Federated States of\n\
MDMoldova\n\
MCMonaco\n\
MNMongolia\n\
MEMontenegro\n\
MSMontserrat\n\
MAMorocco\n\
MZMozambique\n\
MMMyanmar\n\
NANamibia\n\
NRNauru\n\
NPNepal\n\
NLNetherlands\n\
NCNew Caledonia\n\
NZNew Zealand\n\
NINicaragua\n\
NENiger\n\
NGNigeria\n\
NUNiue\n\
NFNorfolk Island\n\
KPNorth Korea\n\
MKNorth Macedonia\n\
MPNorthern Mariana Islands\n\
NONorway\n\
OMOman\n\
PKPakistan\n\
PWPalau\n\
PSPalestine, State of\n\
PAPanama\n\
PGPapua New Guinea\n\
PYParaguay\n\
PEPeru\n\
PHPhilippines\n\
PNPitcairn\n\
PLPoland\n\
PTPortugal\n\
PRPuerto Rico\n\
QAQatar\n\
RORomania\n\
RURussian Federation\n\
RWRwanda\n\
RERéunion\n\
BLSaint Barthélemy\n\
SHSaint Helena, Ascension and Tristan da Cunha\n\
KNSaint Kitts and Nevis\n\
LCSaint Lucia\n\
MFSaint Martin (French part)\n\
PMSaint Pierre and Miquelon\n\
VCSaint Vincent and the Grenadines\n\
WSSamoa\n\
SMSan Marino\n\
STSao Tome and Principe\n\
SASaudi Arabia\n\
SNSenegal\n\
RSSerbia\n\
SCSeychelles\n\
SLSierra Leone\n\
SGSingapore\n\
SXSint Maarten (Dutch part)\n\
SKSlovakia\n\
SISlovenia\n\
SBSolomon Islands\n\
SOSomalia\n\
ZASouth Africa\n\
GSSouth Georgia and the South Sandwich Islands\n\
KRSouth Korea\n\
SSSouth Sudan\n\
ESSpain\n\
LKSri Lanka\n\
SDSudan\n\
SRSuriname\n\
SJSvalbard and Jan Mayen\n\
SESweden\n\
CHSwitzerland\n\
SYSyria\n\
TWTaiwan\n\
TJTajikistan\n\
TZTanzania\n\
THThailand\n\
TLTimor-Leste\n\
TGTogo\n\
TKTokelau\n\
TOTonga\n\
TTTrinidad and Tobago\n\
TNTunisia\n\
TMTurkmenistan\n\
TCTurks and Caicos Islands\n\
TVTuvalu\n\
TRTürkiye\n\
UGUganda\n\
UAUkraine\n\
AEUnited Arab Emirates\n\
GBUnited Kingdom\n\
USUnited States\n\
UMUnited States Minor Outlying Islands\n\
UYUruguay\n\
UZUzbekistan\n\
VUVanuatu\n\
VEVenezuela\n\
VNVietnam\n\
VGVirgin Islands, British\n\
VIVirgin Islands, U.S.\n\
WFWallis and Futuna\n\
EHWestern Sahara\n\
YEYemen\n\
ZMZambia\n\
ZWZimbabwe\n\
AXÅland Islands";
