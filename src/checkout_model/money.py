"""Amounts that know their currency: Stripe's minor units turned into major units and text.

Stripe sends every amount as an integer in the currency's minor unit (cents for USD), and the
number of minor units per major unit depends on the currency. The tables below follow Stripe's
published currency lists; a currency in none of them is a two-decimal currency, as on Stripe.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

import attrs

__all__ = ["THREE_DECIMAL_CURRENCIES", "ZERO_DECIMAL_CURRENCIES", "Money", "currency_exponent"]

ZERO_DECIMAL_CURRENCIES: Final = frozenset(
    {
        "bif",
        "clp",
        "djf",
        "gnf",
        "jpy",
        "kmf",
        "krw",
        "mga",
        "pyg",
        "rwf",
        # UGX is zero-decimal for charges, so a Checkout amount of 5000 is 5,000 shillings.
        # Stripe's special case for UGX is about payouts, which this library does not model.
        "ugx",
        "vnd",
        "vuv",
        "xaf",
        "xof",
        "xpf",
    }
)
"""Currencies whose Stripe amounts are whole major units (an amount of 500 JPY is ¥500)."""

THREE_DECIMAL_CURRENCIES: Final = frozenset({"bhd", "jod", "kwd", "omr", "tnd"})
"""Currencies whose Stripe amounts are thousandths (5124 KWD is 5.124 dinars).

Stripe asks for the last digit of a charged amount to be 0, but it reports amounts as they are.
"""

# Stripe's special cases that stay two-decimal in the API and so need no entry above:
# * ISK: card networks accept whole krónur only (since 2023), but the API still counts in
#   hundredths, so a Checkout amount of 50000 is 500 krónur; Stripe requires multiples of 100.
#   DISPLAY_EXPONENTS below prints such amounts without the always-zero decimals.
# * HUF and TWD: charged with two decimals (2500 HUF is 25.00 forints); only payouts are
#   whole units, which does not change how a session's amounts read.

DISPLAY_EXPONENTS: Final = {"isk": 0}
"""Currencies printed with fewer decimals than the API carries, when no digit would be lost."""


def currency_exponent(currency: str) -> int:
    """How many decimal places Stripe's minor units have for ``currency`` (0, 2 or 3)."""
    code = currency.lower()
    if code in ZERO_DECIMAL_CURRENCIES:
        return 0
    if code in THREE_DECIMAL_CURRENCIES:
        return 3
    return 2


def _currency(value: str) -> str:
    if value.__class__ is not str or len(value) != 3 or not value.isascii() or not value.isalpha():
        raise ValueError(f"a currency is a three-letter ISO code such as 'usd', not {value!r}")
    return value.lower()


def _amount(_instance: object, _attribute: object, value: int) -> None:
    if value.__class__ is not int:
        raise TypeError(f"a Money amount is an int in minor units, not {value!r}")


@attrs.frozen
class Money:
    """An amount as Stripe states it: an integer of minor units, and the currency it is in.

    ``str(Money(123456, "usd"))`` is ``'1,234.56 USD'`` and ``str(Money(1000, "jpy"))`` is
    ``'1,000 JPY'``: the amount in major units with thousands separators and exactly as many
    decimals as the currency has, then the upper-case ISO code. Symbols and locale-specific
    separators are left to the application, which knows its customer's locale.
    """

    amount: int = attrs.field(validator=_amount)
    """The amount in the currency's minor units, as Stripe sends it (1234 is 12.34 USD)."""
    currency: str = attrs.field(converter=_currency)
    """Lowercase three-letter ISO code, as Stripe writes it (``usd``)."""

    @classmethod
    def from_decimal(cls, value: Decimal | int | str, currency: str) -> Money:
        """The Money for an amount in major units (``Decimal("12.34")``, ``"usd"`` → 1234).

        Raises ValueError if the currency cannot carry that many decimals.
        """
        try:
            major = Decimal(value)
        except ArithmeticError:
            raise ValueError(f"{value!r} is not a number") from None
        minor = major.scaleb(currency_exponent(currency))
        if not minor.is_finite() or minor != minor.to_integral_value():
            raise ValueError(f"{value} has more decimals than {currency.upper()} allows")
        return cls(int(minor), currency)

    @property
    def exponent(self) -> int:
        """How many minor-unit digits the currency has (2 for USD, 0 for JPY, 3 for KWD)."""
        return currency_exponent(self.currency)

    @property
    def decimal(self) -> Decimal:
        """The amount in major units, exact: ``Decimal('12.34')`` for 1234 USD."""
        return Decimal(self.amount).scaleb(-self.exponent)

    def format(self, grouping: bool = True) -> str:
        """The amount in major units and the ISO code, such as ``'1,234.56 USD'``."""
        digits = self.exponent
        shown = DISPLAY_EXPONENTS.get(self.currency)
        if shown is not None and self.amount % 10 ** (digits - shown) == 0:
            digits = shown
        number = format(self.decimal, f"{',' if grouping else ''}.{digits}f")
        return f"{number} {self.currency.upper()}"

    def __str__(self) -> str:
        return self.format()

    def __add__(self, other: Money) -> Money:
        """The sum of two amounts in the same currency (ValueError across currencies)."""
        if not isinstance(other, Money):
            return NotImplemented
        return Money(self.amount + self._check_currency(other).amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        """The difference of two amounts in the same currency (ValueError across currencies)."""
        if not isinstance(other, Money):
            return NotImplemented
        return Money(self.amount - self._check_currency(other).amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def _check_currency(self, other: Money) -> Money:
        if other.currency != self.currency:
            raise ValueError(
                f"cannot combine {self.currency.upper()} with {other.currency.upper()} amounts"
            )
        return other
