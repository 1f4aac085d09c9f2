//! ISO 3166-1 alpha-2 countries, Spanish short names (CLDR, as Node.js's ICU gives them), sorted
//! the Spanish way. The same format as `countries_data.rs`.

pub(crate) const COUNTRIES_ES: &str = "\
AFAfganistán\n\
ALAlbania\n\
DEAlemania\n\
ADAndorra\n\
AOAngola\n\
AIAnguila\n\
AQAntártida\n\
AGAntigua y Barbuda\n\
SAArabia Saudí\n\
DZArgelia\n\
ARArgentina\n\
AMArmenia\n\
AWAruba\n\
AUAustralia\n\
ATAustria\n\
AZAzerbaiyán\n\
BSBahamas\n\
BDBangladés\n\
BBBarbados\n\
BHBaréin\n\
BEBélgica\n\
BZBelice\n\
BJBenín\n\
BMBermudas\n\
BYBielorrusia\n\
BOBolivia\n\
BABosnia y Herzegovina\n\
BWBotsuana\n\
BRBrasil\n\
BNBrunéi\n\
BGBulgaria\n\
BFBurkina Faso\n\
BIBurundi\n\
BTBután\n\
CVCabo Verde\n\
KHCamboya\n\
CMCamerún\n\
CACanadá\n\
BQCaribe neerlandés\n\
QACatar\n\
TDChad\n\
CZChequia\n\
CLChile\n\
CNChina\n\
CYChipre\n\
VACiudad del Vaticano\n\
COColombia\n\
KMComoras\n\
CGCongo\n\
KPCorea del Norte\n\
KRCorea del Sur\n\
CRCosta Rica\n\
CICôte d’Ivoire\n\
HRCroacia\n\
CUCuba\n\
CWCurazao\n\
DKDinamarca\n\
DMDominica\n\
ECEcuador\n\
EGEgipto\n\
SVEl Salvador\n\
AEEmiratos Árabes Unidos\n\
EREritrea\n\
SKEslovaquia\n\
SIEslovenia\n\
ESEspaña\n\
USEstados Unidos\n\
EEEstonia\n\
SZEsuatini\n\
ETEtiopía\n\
PHFilipinas\n\
FIFinlandia\n\
FJFiyi\n\
FRFrancia\n\
GAGabón\n\
GMGambia\n\
GEGeorgia\n\
GHGhana\n\
GIGibraltar\n\
GDGranada\n\
GRGrecia\n\
GLGroenlandia\n\
GPGuadalupe\n\
GUGuam\n\
GTGuatemala\n\
GFGuayana Francesa\n\
GGGuernesey\n\
GNGuinea\n\
GQGuinea Ecuatorial\n\
GWGuinea-Bisáu\n\
GYGuyana\n\
HTHaití\n\
HNHonduras\n\
HUHungría\n\
INIndia\n\
IDIndonesia\n\
IQIrak\n\
IRIrán\n\
IEIrlanda\n\
BVIsla Bouvet\n\
IMIsla de Man\n\
CXIsla de Navidad\n\
NFIsla Norfolk\n\
ISIslandia\n\
AXIslas Aland\n\
KYIslas Caimán\n\
CCIslas Cocos\n\
CKIslas Cook\n\
FOIslas Feroe\n\
GSIslas Georgia del Sur y Sandwich del Sur\n\
HMIslas Heard y McDonald\n\
FKIslas Malvinas\n\
MPIslas Marianas del Norte\n\
MHIslas Marshall\n\
UMIslas menores alejadas de EE. UU.\n\
PNIslas Pitcairn\n\
SBIslas Salomón\n\
TCIslas Turcas y Caicos\n\
VGIslas Vírgenes Británicas\n\
VIIslas Vírgenes de EE. UU.\n\
ILIsrael\n\
ITItalia\n\
JMJamaica\n\
JPJapón\n\
JEJersey\n\
JOJordania\n\
KZKazajistán\n\
KEKenia\n\
KGKirguistán\n\
KIKiribati\n\
KWKuwait\n\
LALaos\n\
LSLesoto\n\
LVLetonia\n\
LBLíbano\n\
LRLiberia\n\
LYLibia\n\
LILiechtenstein\n\
LTLituania\n\
LULuxemburgo\n\
MKMacedonia del Norte\n\
MGMadagascar\n\
MYMalasia\n\
MWMalaui\n\
MVMaldivas\n\
MLMali\n\
MTMalta\n\
MAMarruecos\n\
MQMartinica\n\
MUMauricio\n\
MRMauritania\n\
YTMayotte\n\
MXMéxico\n\
FMMicronesia\n\
MDMoldavia\n\
MCMónaco\n\
MNMongolia\n\
MEMontenegro\n\
MSMontserrat\n\
MZMozambique\n\
MMMyanmar (Birmania)\n\
NANamibia\n\
NRNauru\n\
NPNepal\n\
NINicaragua\n\
NENíger\n\
NGNigeria\n\
NUNiue\n\
NONoruega\n\
NCNueva Caledonia\n\
NZNueva Zelanda\n\
OMOmán\n\
NLPaíses Bajos\n\
PKPakistán\n\
PWPalaos\n\
PAPanamá\n\
PGPapúa Nueva Guinea\n\
PYParaguay\n\
PEPerú\n\
PFPolinesia Francesa\n\
PLPolonia\n\
PTPortugal\n\
PRPuerto Rico\n\
HKRAE de Hong Kong (China)\n\
MORAE de Macao (China)\n\
GBReino Unido\n\
CFRepública Centroafricana\n\
CDRepública Democrática del Congo\n\
DORepública Dominicana\n\
REReunión\n\
RWRuanda\n\
RORumanía\n\
RURusia\n\
EHSáhara Occidental\n\
WSSamoa\n\
ASSamoa Americana\n\
BLSan Bartolomé\n\
KNSan Cristóbal y Nieves\n\
SMSan Marino\n\
MFSan Martín\n\
PMSan Pedro y Miquelón\n\
VCSan Vicente y las Granadinas\n\
SHSanta Elena\n\
LCSanta Lucía\n\
STSanto Tomé y Príncipe\n\
SNSenegal\n\
RSSerbia\n\
SCSeychelles\n\
SLSierra Leona\n\
SGSingapur\n\
SXSint Maarten\n\
SYSiria\n\
SOSomalia\n\
LKSri Lanka\n\
ZASudáfrica\n\
SDSudán\n\
SSSudán del Sur\n\
SESuecia\n\
CHSuiza\n\
SRSurinam\n\
SJSvalbard y Jan Mayen\n\
THTailandia\n\
TWTaiwán\n\
TZTanzania\n\
TJTayikistán\n\
IOTerritorio Británico del Océano Índico\n\
TFTerritorios Australes Franceses\n\
PSTerritorios Palestinos\n\
TLTimor-Leste\n\
TGTogo\n\
TKTokelau\n\
TOTonga\n\
TTTrinidad y Tobago\n\
TNTúnez\n\
TMTurkmenistán\n\
TRTurquía\n\
TVTuvalu\n\
UAUcrania\n\
UGUganda\n\
UYUruguay\n\
UZUzbekistán\n\
VUVanuatu\n\
VEVenezuela\n\
VNVietnam\n\
WFWallis y Futuna\n\
YEYemen\n\
DJYibuti\n\
ZMZambia\n\
ZWZimbabue";
