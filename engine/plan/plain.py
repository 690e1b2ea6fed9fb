"""Plain reasons: the one sentence a runner who is not a scientist reads first, per exercise
purpose and per leg block. The numbers and the sources stay in `why`.

No jargon here: no damage figures, no RPE, no reps-in-reserve, no author names.
"""

from __future__ import annotations

PURPOSE: dict[str, str] = {
    "knee_dominant": "Strong thighs absorb every landing and keep your stride steady when you "
    "tire.",
    "hip_extension": "Strong glutes and hamstrings push you forward and up hills.",
    "calf": "Your calves work harder than any other leg muscle when you run; this keeps them and "
    "your Achilles ready for it.",
    "calf_isometric": "A calf hold keeps your calves and Achilles working without making them "
    "sorer.",
    "knee_isometric": "A hold keeps your thighs strong while they recover, without making them "
    "sorer.",
    "quad_eccentric": "Slow step-downs get your thighs used to downhills, so your hilly race "
    "hurts them less.",
    "tibialis": "Running asks little of your shins; this keeps them in step with your calves.",
    "hip_abduction": "The side of your hip keeps your pelvis level on every stride; this keeps "
    "it strong.",
    "hamstring_eccentric": "Lowering slowly makes your hamstrings tougher against strains, the "
    "most common injury when running fast.",
    "core_anti_extension": "A steady trunk keeps your stride efficient late in a run.",
    "core_anti_rotation": "Your trunk twists a little on every step; this trains it to stay "
    "steady.",
    "core_lateral": "Side planks train the muscles that keep your hips level.",
    "upper_push": "Running does almost nothing for your upper body; one push exercise keeps it "
    "strong.",
    "upper_pull": "Pulling keeps your upper back strong and powers your arm swing.",
    "balance": "Running is a series of one-leg landings; this trains exactly that position.",
    "plyometric": "Quick, light jumps train the springy stride that saves energy.",
    "hip_flexor": "Your hip flexors swing each leg forward and work hardest when you sprint; "
    "this makes them stronger.",
    "single_leg_endurance": "Many steady reps on one leg train your legs to keep going late in "
    "a long race.",
}

CALF_HIGH_TIBIALIS = (
    "Your calves worked hard this week: extra shin work instead of heavy calf raises keeps the "
    "two in balance."
)
HILLY_PULL = (
    "You climbed a lot this week: strong arms help drive you up hills, so one more set of pulling."
)
CALF_STAMINA = (
    "Many slow calf raises train your calves and Achilles to keep going late in a long race."
)
POWER_LIFT = "Heavy sets of a few reps build the force behind a fast stride."
STAMINA_LIFT = "Steady, higher-rep sets build the strength that lasts a long race."

BLOCK: dict[str, str] = {
    "heavy": "Your legs are fresh, so this session can be heavy: strong legs make running cheaper.",
    "moderate": "Your legs are still recovering a little, so moderate weights and no jumps.",
    "isometric": "Your legs are still recovering: holds only, no heavy lifting or jumps.",
    "none": "Your legs need rest: no leg work this session.",
}
BEFORE_LONG_RUN = "Your long run is close: moderate weights so your legs are fresh for it."
BEFORE_RACE = "Your race is close: lighter leg work so your legs are fresh on the day."
AFTER_RACE = "Your legs are still recovering from your race: no heavy legs and no jumps yet."
AFTER_LONG_EFFORT = (
    "Your legs are still recovering from a marathon-length run: no heavy legs and no jumps yet."
)
AFTER_DESCENT = "Your thighs are still recovering from a long downhill: moderate weights only."
LEAD_IN = "A lighter start: fewer sets, no jumps, while your body gets used to it."
FELT = {
    "fresh": "You said your legs feel fresh",
    "a_bit_sore": "You said your legs feel a bit sore",
    "very_sore": "You said your legs feel very sore",
}


def for_purpose(purpose: str) -> str:
    return PURPOSE.get(purpose, "This keeps the muscles running relies on strong.")
