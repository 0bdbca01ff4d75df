"""Approximate centres of the Great Britain postcode areas, for rough travel distances.

There is no postcode database in the portal, so matching a customer to a vacancy measures
between postcode AREAS (the letters at the start of a postcode: "LS" in "LS9 8AB", "G" in
"G1 1AA"). Each area has one point: latitude and longitude in decimal degrees (WGS84),
placed near where most of the area's people live (its main town or towns), not at its
geographic middle, since that is where jobseekers and jobs are. Rounded to 0.05 degrees or
so; a distance between two areas is good to about 5 to 15 miles, and more in the large
rural areas of the Highlands and islands (IV, KW, HS, PA, PH, ZE) and mid Wales (LD, SY).

Good enough to rank suggestions and to say "about 20 miles"; never show these numbers as
exact. Northern Ireland (BT), the Channel Islands (GY, JE) and the Isle of Man (IM) are not
in Great Britain, and the portal does not cover them.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

# (latitude, longitude), area: main town(s)
CENTROIDS: Final = MappingProxyType(
    {
        "AB": (57.15, -2.20),  # Aberdeen
        "AL": (51.75, -0.30),  # St Albans
        "B": (52.48, -1.90),  # Birmingham
        "BA": (51.30, -2.45),  # Bath
        "BB": (53.75, -2.40),  # Blackburn, Burnley
        "BD": (53.82, -1.80),  # Bradford
        "BH": (50.74, -1.88),  # Bournemouth
        "BL": (53.57, -2.43),  # Bolton, Bury
        "BN": (50.85, -0.20),  # Brighton
        "BR": (51.39, 0.04),  # Bromley
        "BS": (51.46, -2.60),  # Bristol
        "CA": (54.85, -3.00),  # Carlisle
        "CB": (52.20, 0.15),  # Cambridge
        "CF": (51.53, -3.25),  # Cardiff
        "CH": (53.20, -2.95),  # Chester
        "CM": (51.75, 0.45),  # Chelmsford
        "CO": (51.90, 0.90),  # Colchester
        "CR": (51.37, -0.10),  # Croydon
        "CT": (51.25, 1.15),  # Canterbury
        "CV": (52.40, -1.50),  # Coventry
        "CW": (53.12, -2.45),  # Crewe
        "DA": (51.44, 0.20),  # Dartford
        "DD": (56.48, -2.95),  # Dundee
        "DE": (52.93, -1.50),  # Derby
        "DG": (55.07, -3.60),  # Dumfries
        "DH": (54.80, -1.60),  # Durham
        "DL": (54.50, -1.60),  # Darlington
        "DN": (53.55, -0.90),  # Doncaster, Scunthorpe, Grimsby
        "DT": (50.68, -2.50),  # Dorchester
        "DY": (52.48, -2.10),  # Dudley
        "E": (51.53, -0.03),  # London East
        "EC": (51.52, -0.10),  # London East Central
        "EH": (55.93, -3.20),  # Edinburgh
        "EN": (51.67, -0.08),  # Enfield
        "EX": (50.75, -3.55),  # Exeter
        "FK": (56.05, -3.85),  # Falkirk, Stirling
        "FY": (53.83, -3.00),  # Blackpool
        "G": (55.86, -4.25),  # Glasgow
        "GL": (51.85, -2.20),  # Gloucester, Cheltenham
        "GU": (51.25, -0.75),  # Guildford
        "HA": (51.58, -0.34),  # Harrow
        "HD": (53.63, -1.78),  # Huddersfield
        "HG": (54.00, -1.55),  # Harrogate
        "HP": (51.75, -0.70),  # Hemel Hempstead, Aylesbury
        "HR": (52.06, -2.72),  # Hereford
        "HS": (58.00, -6.60),  # Outer Hebrides (Stornoway)
        "HU": (53.77, -0.40),  # Hull
        "HX": (53.72, -1.88),  # Halifax
        "IG": (51.57, 0.08),  # Ilford
        "IP": (52.10, 1.10),  # Ipswich
        "IV": (57.48, -4.22),  # Inverness
        "KA": (55.55, -4.55),  # Kilmarnock, Ayr
        "KT": (51.38, -0.30),  # Kingston upon Thames
        "KW": (58.70, -3.10),  # Kirkwall, Wick, Thurso
        "KY": (56.15, -3.15),  # Kirkcaldy
        "L": (53.41, -2.95),  # Liverpool
        "LA": (54.10, -2.75),  # Lancaster
        "LD": (52.24, -3.38),  # Llandrindod Wells
        "LE": (52.63, -1.12),  # Leicester
        "LL": (53.10, -3.80),  # Llandudno
        "LN": (53.22, -0.50),  # Lincoln
        "LS": (53.80, -1.55),  # Leeds
        "LU": (51.88, -0.42),  # Luton
        "M": (53.47, -2.24),  # Manchester
        "ME": (51.33, 0.55),  # Rochester, Maidstone
        "MK": (52.04, -0.76),  # Milton Keynes
        "ML": (55.78, -3.95),  # Motherwell
        "N": (51.57, -0.10),  # London North
        "NE": (55.00, -1.60),  # Newcastle upon Tyne
        "NG": (52.97, -1.15),  # Nottingham
        "NN": (52.28, -0.85),  # Northampton
        "NP": (51.62, -3.00),  # Newport
        "NR": (52.63, 1.30),  # Norwich
        "NW": (51.55, -0.20),  # London North West
        "OL": (53.58, -2.10),  # Oldham, Rochdale
        "OX": (51.75, -1.30),  # Oxford
        "PA": (55.88, -4.50),  # Paisley
        "PE": (52.65, -0.20),  # Peterborough
        "PH": (56.50, -3.60),  # Perth
        "PL": (50.40, -4.15),  # Plymouth
        "PO": (50.82, -1.05),  # Portsmouth
        "PR": (53.75, -2.70),  # Preston
        "RG": (51.45, -1.05),  # Reading
        "RH": (51.15, -0.20),  # Redhill, Crawley
        "RM": (51.55, 0.20),  # Romford
        "S": (53.38, -1.47),  # Sheffield
        "SA": (51.75, -4.10),  # Swansea, Llanelli, Carmarthen
        "SE": (51.46, -0.05),  # London South East
        "SG": (51.95, -0.20),  # Stevenage
        "SK": (53.40, -2.10),  # Stockport
        "SL": (51.50, -0.60),  # Slough
        "SM": (51.37, -0.18),  # Sutton
        "SN": (51.55, -1.80),  # Swindon
        "SO": (50.93, -1.40),  # Southampton
        "SP": (51.07, -1.80),  # Salisbury
        "SR": (54.88, -1.40),  # Sunderland
        "SS": (51.55, 0.65),  # Southend-on-Sea
        "ST": (52.98, -2.10),  # Stoke-on-Trent
        "SW": (51.46, -0.17),  # London South West
        "SY": (52.60, -3.10),  # Shrewsbury, Aberystwyth
        "TA": (51.03, -3.05),  # Taunton
        "TD": (55.60, -2.70),  # Galashiels
        "TF": (52.68, -2.47),  # Telford
        "TN": (51.10, 0.40),  # Tonbridge, Tunbridge Wells
        "TQ": (50.45, -3.60),  # Torquay
        "TR": (50.25, -5.10),  # Truro
        "TS": (54.57, -1.22),  # Middlesbrough
        "TW": (51.45, -0.35),  # Twickenham
        "UB": (51.53, -0.42),  # Southall, Uxbridge
        "W": (51.51, -0.20),  # London West
        "WA": (53.40, -2.55),  # Warrington
        "WC": (51.52, -0.12),  # London West Central
        "WD": (51.66, -0.40),  # Watford
        "WF": (53.68, -1.45),  # Wakefield
        "WN": (53.55, -2.63),  # Wigan
        "WR": (52.20, -2.22),  # Worcester
        "WS": (52.60, -1.95),  # Walsall
        "WV": (52.60, -2.13),  # Wolverhampton
        "YO": (54.00, -1.00),  # York
        "ZE": (60.15, -1.15),  # Lerwick (Shetland)
    }
)
