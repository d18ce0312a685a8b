"""Country names of the regions TMDB has where-to-watch data for (ISO 3166-1 alpha-2), so a person can find
their region by name ("Argentina") as well as by code ("AR"). Pure data: no I/O."""

from __future__ import annotations

REGION_NAMES: dict[str, str] = {
    "AD": "Andorra", "AE": "United Arab Emirates", "AG": "Antigua and Barbuda", "AL": "Albania", "AO": "Angola",
    "AR": "Argentina", "AT": "Austria", "AU": "Australia", "AZ": "Azerbaijan", "BA": "Bosnia and Herzegovina",
    "BB": "Barbados", "BE": "Belgium", "BF": "Burkina Faso", "BG": "Bulgaria", "BH": "Bahrain", "BM": "Bermuda",
    "BO": "Bolivia", "BR": "Brazil", "BS": "Bahamas", "BY": "Belarus", "BZ": "Belize", "CA": "Canada",
    "CD": "Congo (DRC)", "CH": "Switzerland", "CI": "Côte d'Ivoire", "CL": "Chile", "CM": "Cameroon",
    "CO": "Colombia", "CR": "Costa Rica", "CU": "Cuba", "CV": "Cape Verde", "CY": "Cyprus", "CZ": "Czechia",
    "DE": "Germany", "DK": "Denmark", "DO": "Dominican Republic", "DZ": "Algeria", "EC": "Ecuador",
    "EE": "Estonia", "EG": "Egypt", "ES": "Spain", "FI": "Finland", "FJ": "Fiji", "FR": "France",
    "GB": "United Kingdom", "GF": "French Guiana", "GH": "Ghana", "GI": "Gibraltar", "GP": "Guadeloupe",
    "GQ": "Equatorial Guinea", "GR": "Greece", "GT": "Guatemala", "GY": "Guyana", "HK": "Hong Kong",
    "HN": "Honduras", "HR": "Croatia", "HU": "Hungary", "ID": "Indonesia", "IE": "Ireland", "IL": "Israel",
    "IN": "India", "IQ": "Iraq", "IS": "Iceland", "IT": "Italy", "JM": "Jamaica", "JO": "Jordan", "JP": "Japan",
    "KE": "Kenya", "KR": "South Korea", "KW": "Kuwait", "LB": "Lebanon", "LC": "Saint Lucia",
    "LI": "Liechtenstein", "LT": "Lithuania", "LU": "Luxembourg", "LV": "Latvia", "LY": "Libya", "MA": "Morocco",
    "MC": "Monaco", "MD": "Moldova", "ME": "Montenegro", "MG": "Madagascar", "MK": "North Macedonia", "ML": "Mali",
    "MT": "Malta", "MU": "Mauritius", "MW": "Malawi", "MX": "Mexico", "MY": "Malaysia", "MZ": "Mozambique",
    "NE": "Niger", "NG": "Nigeria", "NI": "Nicaragua", "NL": "Netherlands", "NO": "Norway", "NZ": "New Zealand",
    "OM": "Oman", "PA": "Panama", "PE": "Peru", "PF": "French Polynesia", "PG": "Papua New Guinea",
    "PH": "Philippines", "PK": "Pakistan", "PL": "Poland", "PS": "Palestine", "PT": "Portugal", "PY": "Paraguay",
    "QA": "Qatar", "RO": "Romania", "RS": "Serbia", "RU": "Russia", "SA": "Saudi Arabia", "SC": "Seychelles",
    "SE": "Sweden", "SG": "Singapore", "SI": "Slovenia", "SK": "Slovakia", "SM": "San Marino", "SN": "Senegal",
    "SV": "El Salvador", "TC": "Turks and Caicos Islands", "TD": "Chad", "TH": "Thailand", "TN": "Tunisia",
    "TR": "Türkiye", "TT": "Trinidad and Tobago", "TW": "Taiwan", "TZ": "Tanzania", "UA": "Ukraine",
    "UG": "Uganda", "US": "United States", "UY": "Uruguay", "VA": "Vatican City", "VE": "Venezuela",
    "XK": "Kosovo", "YE": "Yemen", "ZA": "South Africa", "ZM": "Zambia", "ZW": "Zimbabwe",
}


def region_label(code: str) -> str:
    """'Argentina (AR)'; an unknown code stays as it is."""
    name = REGION_NAMES.get(code.upper())
    return f"{name} ({code.upper()})" if name else code.upper()


def find_region(text: str) -> str | None:
    """The code for a country name or code typed by a person ('argentina', 'AR', 'Argentina (AR)'), or None."""
    wanted = text.strip().casefold()
    if not wanted:
        return None
    for code, name in REGION_NAMES.items():
        if wanted in (code.casefold(), name.casefold(), region_label(code).casefold()):
            return code
    starts = [code for code, name in REGION_NAMES.items() if name.casefold().startswith(wanted)]
    return starts[0] if len(starts) == 1 else None
