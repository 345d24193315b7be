//! Seats when members are invited or restored: enough free seats, or the seats to add by
//! autoscaling as the cloud server does (`CanScaleAsync`, then `AdjustSeatsAsync`), each
//! refusal in the server's words. A self-hosted server cannot autoscale.

use super::plan::Plan;

/// What the seat rule needs to know.
#[derive(Debug, Clone, Copy)]
pub struct SeatFacts<'a> {
    /// The organization's seats (`None`: unlimited).
    pub seats: Option<i64>,
    /// Seats in use (invited, accepted and confirmed members).
    pub occupied: i64,
    /// The autoscaling ceiling, if the owners set one.
    pub max_autoscale_seats: Option<i64>,
    /// The server is self-hosted.
    pub self_hosted: bool,
    /// The organization is billed (has a payment method and subscription).
    pub has_subscription: bool,
    /// Its plan, if known.
    pub plan: Option<&'a Plan>,
}

/// Why seats cannot be found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SeatRefusal {
    /// Refused before anything changes (`CanScaleAsync`): a plain 400.
    CannotScale(String),
    /// Refused while adjusting the subscription (`AdjustSeatsAsync`), which the invitation
    /// reports as one of several errors.
    Adjust(String),
}

/// The seat total after making room for `wanted` more members: `None` when the seats suffice
/// (or are unlimited), `Some(total)` when autoscaling adds seats.
pub fn seats_for(f: SeatFacts<'_>, wanted: i64) -> Result<Option<i64>, SeatRefusal> {
    let Some(seats) = f.seats else {
        return Ok(None);
    };
    let missing = wanted - (seats - f.occupied);
    if missing <= 0 {
        return Ok(None);
    }
    if f.self_hosted {
        return Err(SeatRefusal::CannotScale(
            "Cannot autoscale on self-hosted instance.".into(),
        ));
    }
    if f.max_autoscale_seats
        .is_some_and(|max| max < seats + missing)
    {
        return Err(SeatRefusal::CannotScale(
            "Seat limit has been reached.".into(),
        ));
    }
    let adjust = |m: &str| Err(SeatRefusal::Adjust(m.to_string()));
    if !f.has_subscription {
        return adjust("No payment method found.");
    }
    let Some(plan) = f.plan.filter(|p| p.has_additional_seats) else {
        return adjust("Plan does not allow additional seats.");
    };
    let total = seats + missing;
    if let Some(max) = plan.max_seats.filter(|max| total > *max) {
        return adjust(&format!(
            "Organization plan allows a maximum of {} additional seats.",
            max - plan.base_seats
        ));
    }
    Ok(Some(total))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::bitwarden::plan::plan;

    fn facts(p: Option<&Plan>) -> SeatFacts<'_> {
        SeatFacts {
            seats: Some(5),
            occupied: 5,
            max_autoscale_seats: None,
            self_hosted: false,
            has_subscription: true,
            plan: p,
        }
    }

    #[test]
    fn cloud_orgs_autoscale_and_self_hosted_ones_cannot() {
        let teams = plan(3).unwrap();
        assert_eq!(seats_for(facts(Some(&teams)), 2), Ok(Some(7)));
        assert_eq!(
            seats_for(
                SeatFacts {
                    occupied: 3,
                    ..facts(Some(&teams))
                },
                2
            ),
            Ok(None)
        );
        let hosted = SeatFacts {
            self_hosted: true,
            ..facts(Some(&teams))
        };
        assert_eq!(
            seats_for(hosted, 1),
            Err(SeatRefusal::CannotScale(
                "Cannot autoscale on self-hosted instance.".into()
            ))
        );
        let capped = SeatFacts {
            max_autoscale_seats: Some(6),
            ..facts(Some(&teams))
        };
        assert!(matches!(
            seats_for(capped, 2),
            Err(SeatRefusal::CannotScale(_))
        ));
        let free = plan(0).unwrap();
        assert_eq!(
            seats_for(facts(Some(&free)), 1),
            Err(SeatRefusal::Adjust(
                "Plan does not allow additional seats.".into()
            ))
        );
        let unlimited = SeatFacts {
            seats: None,
            ..facts(None)
        };
        assert_eq!(seats_for(unlimited, 100), Ok(None));
    }
}
