// rulebook diff --git REV [FOLDER] (docs/impact.md): the folder at a git
// revision against the folder as it is, read with git into a temporary
// folder: no checkout, the work tree and HEAD untouched, the temporary folder
// removed afterwards; a revision git cannot read is a bad command line (2).
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "diff_helpers.hpp"
#include "impact/git_tree.hpp"

using namespace diff_test;
using rulebook::impact::run_capture;

namespace {

std::string git(const fs::path& repo, std::vector<std::string> args) {
  std::vector<std::string> argv = {"git", "-C", repo.string(), "-c", "user.name=Rulebook Test",
                                   "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false"};
  argv.insert(argv.end(), args.begin(), args.end());
  std::string out;
  INFO("git " << args[0]);
  REQUIRE(run_capture(argv, out) == 0);
  return out;
}

// A git repository holding a copy of the shipped policies, committed once;
// TMPDIR points into it, so the temporary folders diff makes can be counted.
struct Repo {
  fs::path root, repo, policies, tmp;
  std::string old_tmpdir;
  bool had_tmpdir = false;
  Repo() {
    static int counter = 0;
    root = fs::temp_directory_path() /
           ("rulebook-diff-git-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    repo = root / "repo";
    policies = repo / "policies";
    tmp = root / "tmp";
    fs::create_directories(repo);
    fs::create_directories(tmp);
    fs::copy(kPolicies, policies, fs::copy_options::recursive);
    git(repo, {"init", "-q"});
    git(repo, {"add", "policies"});
    git(repo, {"commit", "-q", "-m", "the shipped policies"});
    if (const char* t = std::getenv("TMPDIR")) {
      had_tmpdir = true;
      old_tmpdir = t;
    }
    ::setenv("TMPDIR", tmp.c_str(), 1);
  }
  ~Repo() {
    if (had_tmpdir) ::setenv("TMPDIR", old_tmpdir.c_str(), 1);
    else ::unsetenv("TMPDIR");
    std::error_code ec;
    fs::remove_all(root, ec);
  }
  void edit_notice() {
    const fs::path rules = policies / "aps" / "s26-2022.rules";
    const std::string text = read(rules);
    const std::string edited = replace_all(text, "from 2022-02-01: 4 weeks", "from 2022-02-01: 6 weeks");
    REQUIRE(edited != text);
    write(rules, edited);
  }
  std::size_t temporary_folders() const {
    return static_cast<std::size_t>(std::distance(fs::directory_iterator(tmp), fs::directory_iterator()));
  }
  std::string shown(const std::string& report) const { return replace_all(report, root.string(), "$TMP"); }
};


}  // namespace

TEST_CASE("rulebook diff --git HEAD compares the committed policies with the edited work tree, without a checkout") {
  Repo g;
  const fs::path log = g.root / "decisions.jsonl";
  write(log, make_log(g.policies));
  g.edit_notice();
  const std::string head = git(g.repo, {"rev-parse", "HEAD"});
  const std::string status = git(g.repo, {"status", "--porcelain"});
  CHECK(status == " M policies/aps/s26-2022.rules\n");
  const std::string edited = read(g.policies / "aps" / "s26-2022.rules");

  const Run r = run_diff({"--git", "HEAD", g.policies.string(), "--log", log.string()});
  CHECK(r.code == rulebook::cli::kOk);
  CHECK(r.err == "");
  CHECK(g.shown(r.out) == expected_report("$TMP/repo/policies at HEAD", "$TMP/repo/policies"));

  // Nothing checked out: HEAD, the index and the work tree are as they were,
  // and the temporary folder the old files were read into is gone.
  CHECK(git(g.repo, {"rev-parse", "HEAD"}) == head);
  CHECK(git(g.repo, {"status", "--porcelain"}) == status);
  CHECK(read(g.policies / "aps" / "s26-2022.rules") == edited);
  CHECK(g.temporary_folders() == 0);
}

TEST_CASE("rulebook diff --git HEAD~1 compares two committed revisions") {
  Repo g;
  const fs::path log = g.root / "decisions.jsonl";
  write(log, make_log(g.policies));
  g.edit_notice();
  git(g.repo, {"commit", "-q", "-a", "-m", "six weeks' notice"});
  const std::string head = git(g.repo, {"rev-parse", "HEAD"});

  const Run r = run_diff({"--git", "HEAD~1", g.policies.string(), "--log", log.string()});
  CHECK(r.code == rulebook::cli::kOk);
  CHECK(r.err == "");
  CHECK(g.shown(r.out) == expected_report("$TMP/repo/policies at HEAD~1", "$TMP/repo/policies"));

  // The same revision by its hash.
  const std::string first = git(g.repo, {"rev-parse", "HEAD~1"}).substr(0, 40);
  const Run by_hash = run_diff({"--git", first, g.policies.string(), "--log", log.string()});
  CHECK(by_hash.code == rulebook::cli::kOk);
  CHECK(g.shown(by_hash.out) == expected_report("$TMP/repo/policies at " + first, "$TMP/repo/policies"));

  // Against HEAD itself nothing differs; --fail-on-change stays 0.
  const Run same = run_diff({"--git", "HEAD", g.policies.string(), "--log", log.string(), "--fail-on-change"});
  CHECK(same.code == rulebook::cli::kOk);
  CHECK(g.shown(same.out) ==
        "rulebook diff: $TMP/repo/policies at HEAD → $TMP/repo/policies\n"
        "rules: no rule added, removed or edited\n"
        "replayed 5 cases (0 scenarios, 5 logged decisions, 0 generated cases): 0 changed\n"
        "skipped 1 log line that is not a decision; the first: $TMP/decisions.jsonl:4: not JSON: column 1: "
        "invalid literal 'not'; expected a value (true, false, null, a number, a string, an array or an object)\n");

  CHECK(git(g.repo, {"rev-parse", "HEAD"}) == head);
  CHECK(git(g.repo, {"status", "--porcelain"}) == "");
  CHECK(g.temporary_folders() == 0);
}

TEST_CASE("rulebook diff --git with a revision git cannot read exits 2 and names it") {
  Repo g;
  const Run r = run_diff({"--git", "no-such-revision", g.policies.string()});
  CHECK(r.code == rulebook::cli::kBadInput);
  CHECK(r.out == "");
  CHECK(g.shown(r.err) ==
        "rulebook diff: git cannot read $TMP/repo/policies at no-such-revision "
        "(is it a revision of the repository that holds the folder?)\n");
  CHECK(g.temporary_folders() == 0);

  // A folder outside any repository (TMPDIR is not in one).
  const fs::path loose = g.tmp / "loose";
  fs::copy(kPolicies, loose, fs::copy_options::recursive);
  const Run outside = run_diff({"--git", "HEAD", loose.string()});
  CHECK(outside.code == rulebook::cli::kBadInput);
  CHECK(g.shown(outside.err) ==
        "rulebook diff: git cannot read $TMP/tmp/loose at HEAD "
        "(is it a revision of the repository that holds the folder?)\n");
  fs::remove_all(loose);

  // A revision that looks like an option is refused before git sees it.
  const Run dash = run_diff({"--git=--output=x", g.policies.string()});
  CHECK(dash.code == rulebook::cli::kBadInput);
  CHECK(dash.err == "rulebook diff: '--output=x' is not a revision\n");

  // Two folders with --git; a folder that does not exist.
  const Run two = run_diff({"--git", "HEAD", g.policies.string(), g.policies.string()});
  CHECK(two.code == rulebook::cli::kBadInput);
  CHECK(two.err == "rulebook diff: with --git REV, give one folder: the policies as they are now\n");
  const Run missing = run_diff({"--git", "HEAD", (g.root / "nowhere").string()});
  CHECK(missing.code == rulebook::cli::kBadInput);
  CHECK(g.shown(missing.err) == "rulebook diff: $TMP/nowhere: no such folder\n");
  CHECK(g.temporary_folders() == 0);
}
