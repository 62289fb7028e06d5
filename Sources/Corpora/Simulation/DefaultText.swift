/// The built-in text for simulated corpora: six short passages written for rtpipe (no
/// third-party text). Passages are separated by blank lines; each becomes one text.
public enum DefaultText {
    /// The passages, one string each.
    public static var passages: [String] { text.components(separatedBy: "\n\n").map { $0.collapsingWhitespace }.filter { !$0.isEmpty } }

    static let text = """
    The ferry left the harbour at seven, an hour later than the timetable promised. Nobody on \
    board complained. Mara stood at the rail with a paper cup of tea and watched the town shrink \
    into a line of grey roofs. Her brother had written that the island was quiet in October, that \
    the cafe closed at noon and the only shop sold bread, rope and batteries. She had packed three \
    books, a torch and a coat that was too thin for the wind. When the engine slowed near the pier, \
    a dog barked twice, and an old man in a yellow jacket raised one hand as if he had been waiting \
    for her all week.

    In the spring of 1911 the village council voted to build a bridge across the river. The vote \
    was close: eleven members agreed, nine did not, and the chairman abstained because his cousin \
    owned the ferry. Engineers arrived from the city with drawings, tripods and a great deal of \
    confidence. They measured the current, tested the mud and promised that the work would take a \
    single summer. It took four. Floods carried away the first scaffold, a strike stopped the second, \
    and the stone for the arches came from a quarry that closed halfway through the order. When the \
    bridge finally opened, the ferryman sold his boat and bought the bakery on the square.

    Most plants that grow on cliffs share a few simple habits. Their roots are long and thin, so \
    they can follow cracks deep into the rock where water collects after rain. Their leaves are \
    small, thick or covered in fine hair, which slows the loss of moisture on windy days. Many of \
    them flower early, before the summer heat dries the thin soil completely. Botanists who study \
    these plants often work on ropes, counting seedlings in narrow ledges that no goat can reach. \
    Their records show that a single rockfall can remove a population that has survived for \
    centuries, and that recovery, when it happens at all, is remarkably slow.

    Jonah had never fixed a clock before, but the shop was closed and the wedding was on Saturday. \
    He spread a towel on the kitchen table, laid out his grandfather's screwdrivers and opened the \
    back of the case. Inside, the brass wheels looked clean and almost new, which surprised him. \
    One spring, however, had slipped from its hook. He bent a paper clip into a tiny lever, held \
    his breath and pushed. The spring jumped, struck the lamp and vanished under the fridge. It took \
    him forty minutes and a ruler to find it again. By midnight the clock was ticking, although it \
    ran exactly nine minutes fast.

    A good soup needs patience more than skill. Start with onions, cut small and cooked slowly in \
    butter until they turn soft and sweet; this takes longer than most recipes admit. Add carrots, \
    celery and a little garlic, then stir for another few minutes. Pour in stock, enough to cover \
    the vegetables by two fingers, and let everything simmer gently with the lid half open. Taste \
    it often. If it seems flat, a squeeze of lemon usually helps more than extra salt. Beans, barley \
    or leftover rice can make it a meal. Serve it hot, with bread that is fresh enough to tear.

    The committee met in a room without windows, which may explain why the meeting lasted three \
    hours. The first item was the budget for the new library, approved without debate. The second \
    was the parking problem near the school, and here the discussion became lively. Some members \
    wanted a one-way street; others preferred a crossing guard, and one suggested that parents could \
    simply walk. The secretary, who had heard the same arguments for six years, wrote very little. \
    At half past nine someone proposed a survey of local families. Everyone agreed at once, mostly \
    because it meant they could finally go home.
    """
}
