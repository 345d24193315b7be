//! The KYC forms as data: the kind of value each known field takes (with the lists a field
//! must be one of), and the fields each `transactionType` requires. `fields.rs` checks a
//! submission against these tables.

use crate::domain::error::{Error, Result};

/// The kind of a field's value.
#[derive(Clone, Copy)]
pub(super) enum Kind {
    Text,
    Bool,
    Number,
    /// `YYYY-MM-DD` or an ISO date-time.
    Date,
    /// `{day, month, year}` strings.
    DayMonthYear,
    /// One of a list.
    OneOf(&'static [&'static str]),
    /// Latin letters, spaces, hyphens, apostrophes and periods.
    Name,
    /// A US tax id: `123-45-6789` or nine digits.
    TaxId,
}

const OCCUPATIONS: &[&str] = &[
    "Agriculture",
    "Art Dealer / Auctioneer / Import / Export Company",
    "Financial Services (Asset Mgmt., Bank, Broker Dealer, Commodities, Mutual Fund, Ins. Co)",
    "Casinos and Gambling Establishments",
    "Charity/NGO/Non-Profit/Foundation/Endowment",
    "Computer Programmer / Administrator / Software Engineer / IT or Software / Technology Company",
    "Crypto Services (ATM, Exchange, Lender, Coins/Token)",
    "Education / Teacher",
    "Extractive Industry (Oil, Gas, etc.) / Jewels / Gemstones / Precious Metals",
    "Family Office",
    "Film / TV / Entertainment (not adult)",
    "Government/State owned/Political Org. (i.e. Sovereign Wealth Fund)",
    "Healthcare",
    "Law Enforcement / Military / Protective Services",
    "Miner / Mining Pool",
    "Money Service Business",
    "Other",
    "Private Equity / Venture Capital",
    "Professional Service Providers (lawyers accountants etc.)",
    "Real estate brokers developers and appraisers",
    "Recreation / Hospitality",
    "Student / Unemployed / Retired",
    "Traders / Trading (High Frequency, Proprietary, Market Maker)",
    "Other - Default",
    "Weapons Dealers",
];
const GOV_ID_TYPES: &[&str] = &["pp", "ppc", "rp", "pr", "id"];
const DEBUG_STATUSES: &[&str] = &["passed", "failed"];

/// The type of every field orgbox checks; unknown fields are kept as sent.
pub(super) fn kind_of(field: &str) -> Option<Kind> {
    Some(match field {
        "nameFirst" | "nameLast" | "nameMiddle" => Kind::Name,
        "birthdate" | "dateOfIncorporation" | "contractSignedDate" => Kind::Date,
        "dateOfBirth" | "govIdExpiry" | "initialKycCompletionDate" | "lastKycCompletionDate" => {
            Kind::DayMonthYear
        }
        "politicallyExposedPerson"
        | "idvPerformed"
        | "isEntity"
        | "isPrimaryContact"
        | "userAgreesToTerms" => Kind::Bool,
        "notionalTradedEachMonth" => Kind::Number,
        "occupation" => Kind::OneOf(OCCUPATIONS),
        "govIdType" => Kind::OneOf(GOV_ID_TYPES),
        "debugStatus" => Kind::OneOf(DEBUG_STATUSES),
        "identificationNumber" => Kind::TaxId,
        "organizationId"
        | "enterpriseId"
        | "userId"
        | "phoneNumber"
        | "country"
        | "countryOfCitizenship"
        | "countryOfResidence"
        | "govIdCountryOfIssuance"
        | "addressStreet1"
        | "addressStreet2"
        | "addressCity"
        | "addressSubdivision"
        | "addressPostalCode"
        | "cityOfBirth"
        | "countryOfBirth"
        | "countryOfTaxResidence"
        | "email"
        | "externalUserId"
        | "govIdNumber"
        | "taxId"
        | "employmentStatus"
        | "industry"
        | "sourceOfFunds"
        | "enterpriseName"
        | "countryOfIncorporation"
        | "digitalAssetWalletAddress"
        | "contractSignerNameFull"
        | "contractSignedIPAddress"
        | "contractVersion" => Kind::Text,
        _ => return None,
    })
}

pub(super) const US_INDIVIDUAL: &[&str] = &[
    "organizationId",
    "enterpriseId",
    "userId",
    "nameFirst",
    "nameLast",
    "birthdate",
    "phoneNumber",
    "occupation",
    "countryOfCitizenship",
    "countryOfResidence",
    "govIdCountryOfIssuance",
    "politicallyExposedPerson",
    "addressStreet1",
    "addressCity",
    "addressSubdivision",
    "country",
];
const EU_INDIVIDUAL: &[&str] = &[
    "organizationId",
    "enterpriseId",
    "userId",
    "nameFirst",
    "nameLast",
    "dateOfBirth",
    "email",
    "addressStreet1",
    "addressCity",
    "addressPostalCode",
    "cityOfBirth",
    "countryOfBirth",
    "countryOfCitizenship",
    "countryOfResidence",
    "countryOfTaxResidence",
    "employmentStatus",
    "externalUserId",
    "idvPerformed",
    "industry",
    "initialKycCompletionDate",
    "lastKycCompletionDate",
    "politicallyExposedPerson",
    "sourceOfFunds",
    "taxId",
];
const STARTER: &[&str] = &[
    "organizationId",
    "enterpriseId",
    "userId",
    "nameFirst",
    "nameLast",
    "birthdate",
    "country",
    "isEntity",
];
const KYC_INC: &[&str] = &[
    "organizationId",
    "enterpriseId",
    "userId",
    "nameFirst",
    "nameLast",
    "birthdate",
    "country",
];

/// The fields a submission of `transaction_type` must carry.
pub(super) fn required_fields(transaction_type: &str) -> Result<&'static [&'static str]> {
    Ok(match transaction_type {
        "institutionalIndividual" | "incContracted" => US_INDIVIDUAL,
        "euIndividual" => EU_INDIVIDUAL,
        "starterSignup" | "unverifiedPayGoUser" => STARTER,
        "kycInc" => KYC_INC,
        other => {
            return Err(Error::Invalid(format!(
                "invalid transactionType {other:?}: expected institutionalIndividual, \
                 incContracted, euIndividual, starterSignup, kycInc or unverifiedPayGoUser"
            )))
        }
    })
}
